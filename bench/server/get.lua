-- SessionGet over a pool of pre-written sessions, one random id per request.
local token = os.getenv("SV_TOKEN") or ""
local ids = tonumber(os.getenv("SV_IDS") or "1000")
local prefix = os.getenv("SV_PREFIX") or "bench-session-"
local bodies = {}

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Bunker-Token"] = token

function init(args)
  math.randomseed(os.time())
  for i = 1, ids do
    bodies[i] = '{"sessionuuid":"' .. prefix .. i .. '"}'
  end
end

function request()
  return wrk.format(nil, nil, nil, bodies[math.random(ids)])
end
