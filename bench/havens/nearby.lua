-- findNearbyHavens at random points in and around Islington (51.522-51.572 N, 0.088-0.140 W), openNow=true.
-- The 4,096 requests are built once in init() and cycled (wrk's advice: a request() that formats
-- per call costs the client CPU that, on a shared machine, the server then lacks).
local requests = {}
local n = 0
init = function(args)
  math.randomseed(42)
  for i = 1, 4096 do
    local lat = 51.522 + math.random() * 0.050
    local lon = -0.140 + math.random() * 0.052
    requests[i] = wrk.format("GET", string.format("/v1/havens/nearby?lat=%.6f&lon=%.6f&openNow=true", lat, lon))
  end
end
request = function()
  n = n % #requests + 1
  return requests[n]
end
