-- bench/server/submissions.lua: a wrk script that POSTs varied, valid change-of-address
-- submissions to the JSON API: every request a new body (names, dates of birth and of the
-- move, addresses, ZIP codes, SSNs, the answers that decide which agencies it goes to), so
-- the server validates, routes and stores different data each time, as it would in service.
--
--   wrk -t2 -c64 -d10s -s bench/server/submissions.lua \
--       http://127.0.0.1:PORT/api/v1/forms/change_of_address/submissions
--
-- Environment:
--   RATE=N     pace the whole run at N requests per second (wrk has no rate flag): each
--              thread hands out send times 1/(N/threads) apart, and delay() holds each request
--              until its time. Without RATE, as fast as the connections allow.
--   THREADS=T  the -t given to wrk (to split RATE between threads); 1 when unset.
--
-- done() prints machine-readable lines for bench/server/run.sh:
--   askonce-statuses 201=N [422=N ...]
--   askonce-latency p50_us N p99_us N p999_us N max_us N
--   askonce-errors connect N read N write N timeout N
--   askonce-sample STATUS BODY       (the first answer that was not 201, if any)

local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

-- A monotonic clock in milliseconds, through LuaJIT's FFI (Debian's wrk is built on LuaJIT).
local now_ms
do
  local ok, ffi = pcall(require, "ffi")
  if ok then
    ffi.cdef [[
      typedef struct { long tv_sec; long tv_nsec; } askonce_timespec;
      int clock_gettime(int clock, askonce_timespec* ts);
    ]]
    local ts = ffi.new("askonce_timespec")
    now_ms = function()
      ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
      return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
    end
  end
end

local interval = nil -- ms between two sends of this thread, when paced
local next_slot = nil

function init(args)
  math.randomseed((id or 1) * 7919 + os.time())
  statuses = {}
  sample = nil
  local rate = tonumber(os.getenv("RATE") or "")
  local nthreads = tonumber(os.getenv("THREADS") or "") or 1
  if rate and rate > 0 then
    if not now_ms then
      io.stderr:write("submissions.lua: RATE needs LuaJIT's ffi for a clock; this wrk has none\n")
      os.exit(2)
    end
    interval = 1000 * nthreads / rate
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

-- Each request reserves the next free send time of its thread; a request that finds the
-- schedule already past goes at once (no burst to catch up: the rate is a ceiling).
function delay()
  if not interval then return 0 end
  local t = now_ms()
  local slot = next_slot or t
  if slot < t then slot = t end
  next_slot = slot + interval
  return slot - t
end

-- ---- a varied, valid submission ----------------------------------------------------------
-- Strings below are already JSON (quotes and non-ASCII letters included on purpose).

local firsts = { '"Ana"', '"Bo"', '"Chidi"', '"Dana"', '"\195\137ric"', '"Fatima"', '"Gus"', '"Hana"', '"Zo\195\171"' }
local lasts = { '"N\195\186\195\177ez"', '"Diaz"', "\"O'Brien\"", '"Smith"', '"Nguyen"', '"Okafor"', '"Lee \\"Jr\\""' }
local streets = { "Main St", "Oak Ave", "Calle Se\195\177or 5", "Elm \\\"Upper\\\" Rd", "Pine <b>Ct</b>", "Birch Blvd Apt 3 & 4" }
local cities = { "Springfield", "Portland", "San Jos\195\169", "Albany", "Austin" }
local states = { "IL", "OR", "CA", "NY", "TX", "WA", "MA", "ny" }
local household_names = { '"Kim"', '"Lou"', '"Mo <i>"', '"\195\145o\195\177o"' }

local function pick(list) return list[math.random(#list)] end
local function digits(n)
  local t = {}
  for i = 1, n do t[i] = tostring(math.random(0, 9)) end
  return table.concat(t)
end
local function iso(epoch_day) return os.date("!%Y-%m-%d", epoch_day * 86400) end
local day_2021 = 18628 -- 2021-01-01, in days since 1970-01-01
local day_1930 = -14610 -- 1930-01-01
local day_1990 = 7305 -- 1990-01-01

local function ssn()
  -- Area 001-665 (never 000, 666 or 9xx), group 01-99, serial 0001-9999.
  return string.format("%03d-%02d-%04d", math.random(1, 665), math.random(1, 99), math.random(1, 9999))
end

local function address()
  local zip = tostring(math.random(1, 9)) .. digits(4)
  if math.random(4) == 1 then zip = zip .. "-" .. digits(4) end
  return string.format('{"street": "%d %s", "city": "%s", "state": "%s", "zip": "%s"}',
    math.random(1, 9999), pick(streets), pick(cities), pick(states), zip)
end

local function submission()
  local first, last = pick(firsts), pick(lasts)
  local veteran = math.random(2) == 1
  local forward = math.random(2) == 1
  local permanent = math.random(3) ~= 1
  local move = day_2021 + math.random(0, 1400)
  local b = {}
  b[#b + 1] = string.format('{"person": {"name": {"first": %s, "last": %s}, "birth_date": "%s", "ssn": "%s"}',
    first, last, iso(day_1930 + math.random(0, 27000)), ssn())
  b[#b + 1] = string.format(', "contact": {"email": "%s@example.com", "phone": "(%d) 555-0%s", "preferred_method": "%s"}',
    digits(6), math.random(200, 989), digits(3), pick({ "email", "phone", "mail" }))
  b[#b + 1] = ', "old_address": ' .. address()
  b[#b + 1] = ', "new_address": ' .. address()
  b[#b + 1] = string.format(', "move_date": "%s"', iso(move))
  if permanent then
    b[#b + 1] = ', "kind": "permanent"'
    if math.random(2) == 1 then
      b[#b + 1] = string.format(', "filed_jointly": true, "spouse_name": {"first": %s, "last": %s}, "spouse_ssn": "%s"',
        pick({ '"Bea"', '"Cy"', '"Dee"' }), last, ssn())
    else
      b[#b + 1] = ', "filed_jointly": false'
    end
  else
    b[#b + 1] = string.format(', "kind": "temporary", "return_date": "%s"', iso(move + math.random(1, 360)))
  end
  if veteran then
    b[#b + 1] = string.format(', "veteran": true, "va_file_number": "%s"', digits(math.random(8, 9)))
  else
    b[#b + 1] = ', "veteran": false'
  end
  if forward then
    b[#b + 1] = string.format(', "forward_mail": true, "usps_move_type": "%s"', pick({ "individual", "family" }))
  else
    b[#b + 1] = ', "forward_mail": false'
  end
  local people = math.random(0, 3)
  if people > 0 then
    local h = {}
    for i = 1, people do
      h[i] = string.format('{"full_name": %s, "birth_date": "%s"}', pick(household_names),
        iso(day_1990 + math.random(0, 10000)))
    end
    b[#b + 1] = ', "household": [' .. table.concat(h, ", ") .. "]"
  end
  -- The signature: the name as typed ("Ana" .. " " .. "Diaz", without the JSON quotes).
  b[#b + 1] = string.format(', "truthful": true, "signature": "%s %s"}', first:sub(2, -2), last:sub(2, -2))
  return table.concat(b)
end

function request()
  return wrk.format(nil, nil, nil, submission())
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status ~= 201 and sample == nil then sample = status .. " " .. (body or "") end
end

function done(summary, latency, requests)
  local total, example = {}, nil
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses") or {}) do total[status] = (total[status] or 0) + n end
    example = example or t:get("sample")
  end
  local line = "askonce-statuses"
  local keys = {}
  for status in pairs(total) do keys[#keys + 1] = status end
  table.sort(keys)
  for _, status in ipairs(keys) do line = line .. " " .. status .. "=" .. total[status] end
  print(line)
  print(string.format("askonce-latency p50_us %d p99_us %d p999_us %d max_us %d", latency:percentile(50),
    latency:percentile(99), latency:percentile(99.9), latency.max))
  local e = summary.errors
  print(string.format("askonce-errors connect %d read %d write %d timeout %d", e.connect, e.read, e.write, e.timeout))
  if example then print("askonce-sample " .. example:gsub("\n", " ")) end
end
