// Baseline (b): the same HTTP + JSON work as the vault (token check, parse, serialise),
// with the storage being Redis GET/SET through ioredis instead of crypto + SQLite.
import { timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { Redis } from "ioredis";

const redis = new Redis(process.env.SV_REDIS_URL);
const token = Buffer.from(process.env.SV_TOKEN ?? "");
const authorised = (req) => {
  const given = Buffer.from(String(req.headers["x-bunker-token"] ?? ""));
  return given.length === token.length && timingSafeEqual(given, token);
};
const send = (res, status, text) => {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
};

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    if (!authorised(req)) return send(res, 403, '{"status":"error","message":"forbidden"}');
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString());
    } catch {
      return send(res, 400, '{"status":"error","message":"invalid JSON"}');
    }
    try {
      if (req.url === "/v2/SessionGet") {
        const stored = await redis.get(`s:${body.sessionuuid}`);
        if (stored === null) return send(res, 404, '{"status":"error","message":"not found"}');
        return send(res, 200, JSON.stringify({ status: "ok", sessiondata: JSON.parse(stored) }));
      }
      if (req.url === "/v2/SessionUpsert") {
        await redis.set(`s:${body.sessionuuid}`, JSON.stringify(body.sessiondata), "PX", 3_600_000);
        return send(res, 200, '{"status":"ok"}');
      }
      send(res, 404, '{"status":"error","message":"unknown operation"}');
    } catch {
      send(res, 500, '{"status":"error","message":"storage error"}');
    }
  });
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ msg: "listening", url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.on("SIGTERM", () => server.close(() => redis.quit().then(() => process.exit(0))));
