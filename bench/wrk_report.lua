-- wrk's report as one line of JSON for bench/scale_bench.py: latency percentiles in microseconds, the
-- number of requests, and the errors (non-2xx/3xx answers, and connections that failed or timed out).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests": %d, "p50": %d, "p95": %d, "max": %d, "status": %d, "connect": %d, ' ..
    '"read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, latency:percentile(50), latency:percentile(95), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end
