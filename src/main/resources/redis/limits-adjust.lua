-- Corrects counters after the fact (an ended window is left alone) and takes a member out of the open streams.
-- KEYS[1]: the set of open streams; KEYS[2..]: counters. ARGV[1]: member ('' for none); ARGV[2..]: deltas.
if ARGV[1] ~= '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
end
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('INCRBY', KEYS[i], ARGV[i])
  end
end
return 0
