-- submitReport for wrk (a C client, like pgbench on the other side of the ratio): every request
-- has a fresh Idempotency-Key and a body that differs in its description (bench/reports/report.json
-- with {uuid} replaced), so every request stores a new report. Answers other than 201 are counted
-- and printed as "non201"; the scenario also checks the stored count against the 201s.
local body = io.open("bench/reports/report.json"):read("*a"):gsub("%s+$", "")
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + tid)
  -- a per-thread prefix that differs between runs, then a counter: unique keys without a uuid library
  prefix = string.format("%08x%04x", math.random(0, 0x7fffffff), math.random(0, 0xffff))
  non201 = 0
  created = 0
end

function request()
  counter = counter + 1
  local key = string.format("%s-%04x-%012x", prefix, tid, counter)
  return wrk.format("POST", "/v1/reports",
    { ["Content-Type"] = "application/json", ["Idempotency-Key"] = "bench-" .. key },
    (body:gsub("{uuid}", key)))
end

function response(status, headers, resp)
  if status == 201 then
    created = created + 1
  else
    non201 = non201 + 1
  end
end

function done(summary, latency, requests)
  local created_all, non201_all = 0, 0
  for _, t in ipairs(threads) do
    created_all = created_all + t:get("created")
    non201_all = non201_all + t:get("non201")
  end
  io.write(string.format("created %d non201 %d\n", created_all, non201_all))
end
