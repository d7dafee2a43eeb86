-- POSTs one JSON body file (first script argument) with a different X-Truck-Id on each request (1,000 trucks
-- in turn), so routing splits and shadow sampling see many routing keys; prints a JSON summary line at the end.
local counter = 0
local headers = {}

function init(args)
  local file = assert(io.open(args[1], "rb"))
  wrk.body = file:read("*a")
  file:close()
  wrk.method = "POST"
  headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  headers["X-Truck-Id"] = "TRK-" .. (counter % 1000)
  return wrk.format(nil, nil, headers, nil)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "errors": %d, "seconds": %.3f, "rps": %.1f, "p50_us": %d, "p99_us": %d, "p999_us": %d}\n',
    summary.requests, errors, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end
