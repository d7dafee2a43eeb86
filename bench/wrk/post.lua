-- POSTs one body file (first script argument) and prints a JSON summary line at the end.
-- Optional second argument: a per-request pause in milliseconds, to pace the load below the maximum.
-- Optional third argument: the Inference-Header-Content-Length for binary bodies.
local pause = 0

function init(args)
  local file = assert(io.open(args[1], "rb"))
  wrk.body = file:read("*a")
  file:close()
  wrk.method = "POST"
  if args[2] then pause = tonumber(args[2]) end
  if args[3] then
    wrk.headers["Inference-Header-Content-Length"] = args[3]
  else
    wrk.headers["Content-Type"] = "application/json"
  end
end

function delay()
  return pause
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "errors": %d, "seconds": %.3f, "rps": %.1f, "p50_us": %d, "p99_us": %d, "p999_us": %d}\n',
    summary.requests, errors, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end
