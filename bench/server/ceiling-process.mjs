// The ceiling: a bare node:http server that reads the request body and answers a fixed
// JSON body of the same size as a SessionGet reply. Nothing a Node HTTP service does can
// be cheaper, so the vault's throughput is reported as a fraction of this one.
import { createServer } from "node:http";

const body = Buffer.from(process.env.SV_REPLY ?? '{"status":"ok"}');
const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  req.on("data", () => {});
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    res.end(body);
  });
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ msg: "listening", url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
