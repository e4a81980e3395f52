-- wrk script of bench/capacity.py: weighted URLs sent on a schedule (an open model, as far as wrk allows).
-- Environment: CAPACITY_PATHS (the file of "weight path" lines), CAPACITY_INTERVAL_MS (between two sends of one wrk
-- thread), CAPACITY_OUT (the JSON summary); read from the environment, since done() runs in wrk's main Lua state,
-- where init() never ran.
-- wrk calls delay() before each request of each connection: it returns the time left to this thread's next slot,
-- read from the clock (LuaJIT's FFI), so the thread sends at a constant rate while it has a free connection; a slot
-- that finds every connection busy is sent late and counted ("late").
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_usec; } participe_timeval;
  int gettimeofday(participe_timeval *tv, void *tz);
]]
local tv = ffi.new("participe_timeval")
local function now_ms()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000
end

local threads = {}
local paths, cumulative, total = {}, {}, 0
local interval, slot = 1000, nil
late = 0 -- a global: the main state reads it with thread:get("late")

local function read_paths(file)
  for line in io.lines(file) do
    local weight, path = line:match("^(%d+) (.+)$")
    if weight then
      total = total + tonumber(weight)
      paths[#paths + 1] = path
      cumulative[#cumulative + 1] = total
    end
  end
end

function setup(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  read_paths(os.getenv("CAPACITY_PATHS"))
  interval = tonumber(os.getenv("CAPACITY_INTERVAL_MS"))
  math.randomseed(os.time() + (id or 0) * 7919)
  late = 0
end

function delay()
  local now = now_ms()
  if slot == nil then
    slot = now + math.random() * interval -- threads start apart
  else
    slot = slot + interval
  end
  local wait = slot - now
  if wait < 0 then
    if wait < -interval then late = late + 1 end
    return 0
  end
  return math.floor(wait)
end

function request()
  local r = math.random() * total
  local lo, hi = 1, #cumulative
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cumulative[mid] < r then lo = mid + 1 else hi = mid end
  end
  return wrk.format("GET", paths[lo])
end

function done(summary, latency, requests)
  local late_total = 0
  for _, thread in ipairs(threads) do late_total = late_total + (thread:get("late") or 0) end
  local e = summary.errors
  local quantiles = {}
  for i = 1, 1000 do
    quantiles[#quantiles + 1] = string.format("%.3f", latency:percentile(i / 10 - 0.05) / 1000)
  end
  local file = io.open(os.getenv("CAPACITY_OUT"), "w")
  file:write(string.format(
    '{"requests": %d, "seconds": %.3f, "errors": %d, "errors_detail": {"connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d}, "late": %d, "p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f, "quantiles_ms": [%s]}',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.status + e.timeout,
    e.connect, e.read, e.write, e.status, e.timeout, late_total,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    table.concat(quantiles, ", ")))
  file:close()
end
