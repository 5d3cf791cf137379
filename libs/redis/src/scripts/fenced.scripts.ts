import { LuaScript } from '../lua-script';

/**
 * The fenced read and write of DESIGN §3: a store that remembers the highest fencing token it has
 * seen and refuses anyone carrying a lower one. Each is a plain GET or SET otherwise, so the
 * critical section above them stays deliberately non-atomic.
 * Errors are returned as `STALE <token> <highest>` so the caller can build a typed error.
 */
export const fencedGet = new LuaScript(
  'fenced.get',
  `
  -- KEYS[1] value, KEYS[2] highest token seen; ARGV[1] caller's token
  local highest = tonumber(redis.call('GET', KEYS[2]) or '0')
  local token = tonumber(ARGV[1])
  -- a lower token belongs to a holder whose lock has since passed to someone else
  if token < highest then
    return redis.error_reply('STALE ' .. ARGV[1] .. ' ' .. highest)
  end
  -- remember the newest holder, so that its predecessors are refused from now on
  redis.call('SET', KEYS[2], ARGV[1])
  return redis.call('GET', KEYS[1])
  `,
);

export const fencedSet = new LuaScript(
  'fenced.set',
  `
  -- KEYS[1] value, KEYS[2] highest token seen; ARGV[1] caller's token, ARGV[2] new value
  local highest = tonumber(redis.call('GET', KEYS[2]) or '0')
  local token = tonumber(ARGV[1])
  if token < highest then
    return redis.error_reply('STALE ' .. ARGV[1] .. ' ' .. highest)
  end
  redis.call('SET', KEYS[2], ARGV[1])
  redis.call('SET', KEYS[1], ARGV[2])
  return 'OK'
  `,
);

/**
 * Append values to a list and move a high-water mark, both or neither, fenced like the above.
 * KEYS[1] list, KEYS[2] mark, KEYS[3] highest token seen; ARGV[1] token, ARGV[2] expected current
 * mark ('' when none), ARGV[3] new mark, ARGV[4..] values. Refuses (`MOVED`) when the mark is no
 * longer the one the caller computed from, so two fillers can never push the same values.
 */
export const fencedAppend = new LuaScript(
  'fenced.append',
  `
  local highest = tonumber(redis.call('GET', KEYS[3]) or '0')
  local token = tonumber(ARGV[1])
  if token < highest then
    return redis.error_reply('STALE ' .. ARGV[1] .. ' ' .. highest)
  end
  -- the caller computed the values from this mark; if it moved, they may repeat someone's
  local current = redis.call('GET', KEYS[2]) or ''
  if current ~= ARGV[2] then
    return redis.error_reply('MOVED ' .. current)
  end
  redis.call('SET', KEYS[3], ARGV[1])
  redis.call('SET', KEYS[2], ARGV[3])
  return redis.call('RPUSH', KEYS[1], unpack(ARGV, 4))
  `,
);
