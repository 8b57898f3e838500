-- wrk script for submitReport: every request a fresh Idempotency-Key and a varied report body.
local categories = {"someone-being-hurt", "grooming-or-exploitation", "pulled-into-gangs", "weapons", "drugs",
                    "crime-information"}
local areas = {"holloway", "finsbury-park", "highbury", "online", "not-sure"}
local text = "There is a man who waits outside the chicken shop after school and gives younger kids money and " ..
             "phones. My friend started going with him and now stays out late and is scared of him. "
local counter = 0
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

function init(args)
  math.randomseed(os.time() + tid * 7919)
end

request = function()
  counter = counter + 1
  local key = string.format("bench-%d-%d-%d-%08x", tid, os.time(), counter, math.random(0, 0x7fffffff))
  local body = string.format(
      '{"categoryId":"%s","description":"%s%d","immediateDanger":%s,"area":"%s","happenedWhen":"past_week"}',
      categories[math.random(#categories)], text, counter, tostring(math.random(20) == 1),
      areas[math.random(#areas)])
  return wrk.format("POST", "/v1/reports",
      {["Content-Type"] = "application/json", ["Idempotency-Key"] = key}, body)
end

local errors = 0
response = function(status, headers, body)
  if status ~= 201 then
    errors = errors + 1
  end
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx: %d\n", summary.errors.status))
end
