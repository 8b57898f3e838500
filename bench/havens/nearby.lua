-- findNearbyHavens at random points in and around Islington (51.522-51.572 N, 0.088-0.140 W), openNow=true
math.randomseed(42)
request = function()
  local lat = 51.522 + math.random() * 0.050
  local lon = -0.140 + math.random() * 0.052
  return wrk.format("GET", string.format("/v1/havens/nearby?lat=%.6f&lon=%.6f&openNow=true", lat, lon))
end
