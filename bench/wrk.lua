-- wrk script of the page bench: requests come from a file, one per line:
--   METHOD <tab> PATH <tab> COOKIE <tab> BODY (urlencoded, may be empty)
-- Arguments after `--`: the file, the number of wrk threads, and the mode:
--   "cycle": repeat the lines (pages);
--   "once":  each line once across all threads (write paths: every POST is a new write);
--            a thread stops once its share is answered.
-- done() prints one line of JSON with p50, p95, p99 (microseconds), requests and errors.

local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    fields[#fields + 1] = field
  end
  return fields
end

function init(args)
  local path, threads = args[1], tonumber(args[2])
  mode = args[3] or "cycle"
  requests_of_thread = {}
  local index = 0
  for line in io.lines(path) do
    -- "once": lines are dealt out to the threads like cards, so no line is sent twice.
    if mode == "cycle" or index % threads == id then
      local f = split(line)
      local headers = { ["Cookie"] = f[3], ["X-CSRFToken"] = csrf_of(f[3]) }
      if f[1] == "POST" then
        headers["Content-Type"] = "application/x-www-form-urlencoded"
      end
      requests_of_thread[#requests_of_thread + 1] =
        wrk.format(f[1], f[2], headers, f[4] ~= "" and f[4] or nil)
    end
    index = index + 1
  end
  sent, answered = 0, 0
end

function csrf_of(cookie)
  return cookie:match("csrftoken=([^;]+)") or ""
end

function request()
  sent = sent + 1
  -- Past its share a thread repeats its last request until the answers are in (at most one
  -- per connection); those repeats change nothing and are not counted as writes.
  local i = math.min(sent, #requests_of_thread)
  if mode == "cycle" then
    i = (sent - 1) % #requests_of_thread + 1
  end
  return requests_of_thread[i]
end

function response(status, headers, body)
  answered = answered + 1
  if mode == "once" and answered >= #requests_of_thread then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
