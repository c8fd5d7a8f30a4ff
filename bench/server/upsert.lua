-- SessionUpsert of 1 KiB session data over a pool of ids (rewrites, as a busy app does).
local token = os.getenv("SV_TOKEN") or ""
local ids = tonumber(os.getenv("SV_IDS") or "1000")
local prefix = os.getenv("SV_PREFIX") or "bench-session-"
local data = os.getenv("SV_DATA") or "{}"
local bodies = {}

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Bunker-Token"] = token

function init(args)
  math.randomseed(os.time())
  for i = 1, ids do
    bodies[i] = '{"sessionuuid":"' .. prefix .. i .. '","sessiondata":' .. data .. ',"slidingtime":"1h"}'
  end
end

function request()
  return wrk.format(nil, nil, nil, bodies[math.random(ids)])
end
