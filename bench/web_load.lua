-- wrk script for bench/web.py: many signed-in residents, spread over the gunicorn ports.
--
-- Environment (set by bench/web.py):
--   BENCH_TARGETS  a file of lines "cookie<TAB>csrf token<TAB>path"
--   BENCH_PORTS    the gunicorn ports, e.g. "8701,8702": thread n talks to port n mod count,
--                  so with as many threads as ports every process gets the same share
--   BENCH_KIND     get | post_request | accept
--   BENCH_BODY     the form fields of a new request (post_request), without the CSRF token
--   BENCH_DELAY_MS optional: wait this long before each request of a connection (soak rate)
-- Each thread takes every nth line of the file (n = thread count), so the lines of a thread
-- are its own: an invitation is accepted once. done() prints one JSON line, prefixed "WRK ".

local ports = {}
for port in string.gmatch(os.getenv("BENCH_PORTS") or "", "%d+") do
  table.insert(ports, port)
end
local created = 0
local threads = {}

function setup(thread)
  created = created + 1
  local port = ports[(created - 1) % #ports + 1]
  thread.addr = wrk.lookup("127.0.0.1", port)[1]
  thread:set("thread_no", created)
  thread:set("thread_count", tonumber(os.getenv("BENCH_THREADS") or "1"))
  table.insert(threads, thread)
end

local function split(line)
  local cookie, csrf, path = string.match(line, "([^\t]*)\t([^\t]*)\t([^\t]*)")
  return { cookie = cookie, csrf = csrf, path = path }
end

function init(args)
  lines = {}
  local n = 0
  for line in io.lines(os.getenv("BENCH_TARGETS")) do
    if line ~= "" then
      if n % thread_count == thread_no - 1 then
        table.insert(lines, split(line))
      end
      n = n + 1
    end
  end
  kind = os.getenv("BENCH_KIND") or "get"
  body = os.getenv("BENCH_BODY") or ""
  delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
  next_line = 0
  wrapped = 0
  status_2xx, status_3xx, status_4xx, status_5xx = 0, 0, 0, 0
  accepted, refused = 0, 0
end

function request()
  next_line = next_line + 1
  if next_line > #lines then
    next_line = 1
    wrapped = wrapped + 1
  end
  local t = lines[next_line]
  local headers = { ["Cookie"] = t.cookie, ["User-Agent"] = "buurthulp-bench" }
  if kind == "get" then
    return wrk.format("GET", t.path, headers, nil)
  end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  local form = "csrf_token=" .. t.csrf
  if kind == "post_request" then
    form = form .. "&" .. body
  end
  return wrk.format("POST", t.path, headers, form)
end

if (tonumber(os.getenv("BENCH_DELAY_MS") or "0")) > 0 then
  function delay()
    return delay_ms
  end
end

function response(status, headers, body)
  if status >= 500 then
    status_5xx = status_5xx + 1
  elseif status >= 400 then
    status_4xx = status_4xx + 1
  elseif status >= 300 then
    status_3xx = status_3xx + 1
    local location = headers["Location"] or ""
    -- An accept that worked leads to the match; a refused one back to the invitations.
    if string.find(location, "/koppelingen/", 1, true) then
      accepted = accepted + 1
    elseif string.find(location, "/uitnodigingen", 1, true) then
      refused = refused + 1
    end
  else
    status_2xx = status_2xx + 1
  end
end

function done(summary, latency, requests)
  local totals = { s2 = 0, s3 = 0, s4 = 0, s5 = 0, accepted = 0, refused = 0, wrapped = 0 }
  for _, thread in ipairs(threads) do
    totals.s2 = totals.s2 + thread:get("status_2xx")
    totals.s3 = totals.s3 + thread:get("status_3xx")
    totals.s4 = totals.s4 + thread:get("status_4xx")
    totals.s5 = totals.s5 + thread:get("status_5xx")
    totals.accepted = totals.accepted + thread:get("accepted")
    totals.refused = totals.refused + thread:get("refused")
    totals.wrapped = totals.wrapped + thread:get("wrapped")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "status_2xx": %d, "status_3xx": %d, "status_4xx": %d, '
      .. '"status_5xx": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, '
      .. '"timeouts": %d, "accepted": %d, "refused": %d, "targets_reused": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, totals.s2, totals.s3, totals.s4, totals.s5,
    e.connect, e.read, e.write, e.timeout, totals.accepted, totals.refused, totals.wrapped
  ))
end
