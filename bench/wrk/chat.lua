-- wrk script: POST an OpenAI chat completion. Environment: BENCH_STREAM=1 for a streamed request,
-- BENCH_AUTH for the Authorization header, BENCH_EXTRA_HEADERS as "name: value;name: value".
local stream = os.getenv("BENCH_STREAM") == "1"
wrk.method = "POST"
wrk.body = '{"model":"bench","messages":[{"role":"user","content":"Say hello."}],"max_tokens":64'
  .. (stream and ',"stream":true,"stream_options":{"include_usage":true}' or '') .. '}'
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. auth
end
local extra = os.getenv("BENCH_EXTRA_HEADERS")
if extra and extra ~= "" then
  for name, value in string.gmatch(extra, "([^:;]+):%s*([^;]+)") do
    wrk.headers[name] = value
  end
end

-- BENCH_RATE (requests/s over all connections) with BENCH_CONNECTIONS: each connection waits its share
-- between requests, for latency at a fixed load rather than at saturation.
local rate = tonumber(os.getenv("BENCH_RATE") or "")
local connections = tonumber(os.getenv("BENCH_CONNECTIONS") or "")
if rate and connections then
  local pause = connections * 1000 / rate
  delay = function() return pause end
end

local errors = 0
response = function(status, headers, body)
  if status ~= 200 or (stream and not string.find(body, "[DONE]", 1, true)) then
    errors = errors + 1
  end
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50_us=%d p90_us=%d p99_us=%d requests=%d bad=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(90),
    latency:percentile(99), summary.requests, summary.errors.status + summary.errors.connect
      + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
