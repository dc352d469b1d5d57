-- Adds to every counter of one call unless one would pass its limit (all or nothing), and takes a place in the
-- key's set of open streams when a cap is given.
-- KEYS[1]: the set of open streams; KEYS[2..]: the counters
-- ARGV[1]: stream cap (0: no cap), ARGV[2]: member, ARGV[3]: now (ms), ARGV[4]: member counts until (ms)
-- ARGV[5..]: per counter: limit, amount, expire-at (ms)
-- Returns {refused, open streams, counter values...}: refused is -1 when admitted, else the 0-based index of the
-- first counter that would pass its limit, or the number of counters when the stream set is full.
local n = #KEYS - 1
local cap = tonumber(ARGV[1])
local out = {-1, 0}
local slots = 0
if cap > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
  slots = redis.call('ZCARD', KEYS[1])
end
local refused = -1
for i = 1, n do
  local cur = tonumber(redis.call('GET', KEYS[i + 1]) or '0')
  out[i + 2] = cur
  local base = 5 + (i - 1) * 3
  if refused < 0 and cur + tonumber(ARGV[base + 1]) > tonumber(ARGV[base]) then
    refused = i - 1
  end
end
if refused < 0 and cap > 0 and slots >= cap then
  refused = n
end
out[2] = slots
if refused >= 0 then
  out[1] = refused
  return out
end
for i = 1, n do
  local base = 5 + (i - 1) * 3
  out[i + 2] = redis.call('INCRBY', KEYS[i + 1], ARGV[base + 1])
  redis.call('PEXPIREAT', KEYS[i + 1], ARGV[base + 2])
end
if cap > 0 then
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[2])
  redis.call('PEXPIREAT', KEYS[1], ARGV[4])
  out[2] = slots + 1
end
return out
