import { LuaScript } from '../lua-script';

/**
 * Turns a ZooKeeper generation and a counter that grows inside it (the config node's mzxid) into an
 * epoch that never goes back, even when ZooKeeper loses its data while Redis keeps its fences
 * (DESIGN §3). Each generation gets a base above every epoch adopted before it; the generation it
 * replaces is retired for good, so a replica still holding the old one cannot adopt a new epoch of it.
 *
 * KEYS[1] highest epoch adopted, KEYS[2] current generation ('<id> <base>'), KEYS[3] retired
 * generations (a set); ARGV[1] generation id, ARGV[2] counter. Answers `{'ok', epoch}` or
 * `{'retired', ''}`.
 */
export const adoptEpoch = new LuaScript(
  'epoch.adopt',
  `
  if redis.call('SISMEMBER', KEYS[3], ARGV[1]) == 1 then
    return {'retired', ''}
  end
  local floor = tonumber(redis.call('GET', KEYS[1]) or '0')
  local id, base
  local current = redis.call('GET', KEYS[2])
  if current then
    id, base = string.match(current, '^(%S+) (%d+)$')
  end
  if id ~= ARGV[1] then
    -- a new ZooKeeper generation: its counters restart low, so it starts above everything so far
    if id then redis.call('SADD', KEYS[3], id) end
    base = floor + 1
    redis.call('SET', KEYS[2], ARGV[1] .. ' ' .. string.format('%d', base))
  end
  local epoch = tonumber(base) + tonumber(ARGV[2])
  if epoch > floor then
    redis.call('SET', KEYS[1], string.format('%d', epoch))
  end
  return {'ok', string.format('%d', epoch)}
  `,
);
