-- Exactly SV_LIMIT upserts of new sessions that expire after SV_TTL, so the store only
-- stays bounded if expiry sweeping keeps up. Stops the thread when the count is reached.
local token = os.getenv("SV_TOKEN") or ""
local limit = tonumber(os.getenv("SV_LIMIT") or "1000000")
local ttl = os.getenv("SV_TTL") or "2s"
local prefix = os.getenv("SV_PREFIX") or "rss-"
local data = os.getenv("SV_DATA") or "{}"
local sent, done, failed = 0, 0, 0
local firstFailure = ""

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Bunker-Token"] = token

function request()
  sent = sent + 1
  return wrk.format(nil, nil, nil,
    '{"sessionuuid":"' .. prefix .. sent .. '","sessiondata":' .. data .. ',"slidingtime":"' .. ttl .. '"}')
end

function response(status, headers, body)
  done = done + 1
  if status ~= 200 then
    failed = failed + 1
    if firstFailure == "" then firstFailure = status .. " " .. string.sub(body or "", 1, 200) end
  end
  if done >= limit then
    io.write(string.format("upserts-done %d failed %d first-failure %s\n", done, failed, firstFailure))
    io.flush()
    wrk.thread:stop()
  end
end
