import { LuaScript } from '../lua-script';

/**
 * The fenced read and write of DESIGN §3: a store that remembers the highest fencing token it has
 * seen and refuses anyone carrying a lower one. Each is a plain GET or SET otherwise, so the
 * critical section above them stays deliberately non-atomic.
 *
 * Every script answers a two-element array, `{outcome, detail}`, read by `parseFencedReply`:
 * `ok` (detail: the value read, '' for none), `stale` (detail: the highest token seen) or
 * `moved` (detail: the mark found). A refusal is an answer, not a Redis error, so that it can
 * never be confused with a failed command.
 */
export const fencedGet = new LuaScript(
  'fenced.get',
  `
  -- KEYS[1] value, KEYS[2] highest token seen; ARGV[1] caller's token
  local highest = tonumber(redis.call('GET', KEYS[2]) or '0')
  local token = tonumber(ARGV[1])
  -- a lower token belongs to a holder whose lock has since passed to someone else
  if token < highest then
    return {'stale', tostring(highest)}
  end
  -- remember the newest holder, so that its predecessors are refused from now on
  redis.call('SET', KEYS[2], ARGV[1])
  return {'ok', redis.call('GET', KEYS[1]) or ''}
  `,
);

export const fencedSet = new LuaScript(
  'fenced.set',
  `
  -- KEYS[1] value, KEYS[2] highest token seen; ARGV[1] caller's token, ARGV[2] new value
  local highest = tonumber(redis.call('GET', KEYS[2]) or '0')
  local token = tonumber(ARGV[1])
  if token < highest then
    return {'stale', tostring(highest)}
  end
  redis.call('SET', KEYS[2], ARGV[1])
  redis.call('SET', KEYS[1], ARGV[2])
  return {'ok', ''}
  `,
);

/**
 * Append values to a list and move a high-water mark, both or neither, fenced like the above.
 * KEYS[1] list, KEYS[2] mark, KEYS[3] highest token seen; ARGV[1] token, ARGV[2] expected current
 * mark ('' when none), ARGV[3] new mark, ARGV[4..] values. Refuses (`moved`) when the mark is no
 * longer the one the caller computed from, so two fillers can never push the same values.
 */
export const fencedAppend = new LuaScript(
  'fenced.append',
  `
  local highest = tonumber(redis.call('GET', KEYS[3]) or '0')
  local token = tonumber(ARGV[1])
  if token < highest then
    return {'stale', tostring(highest)}
  end
  -- the caller computed the values from this mark; if it moved, they may repeat someone's
  local current = redis.call('GET', KEYS[2]) or ''
  if current ~= ARGV[2] then
    return {'moved', current}
  end
  redis.call('SET', KEYS[3], ARGV[1])
  redis.call('SET', KEYS[2], ARGV[3])
  return {'ok', tostring(redis.call('RPUSH', KEYS[1], unpack(ARGV, 4)))}
  `,
);

export type FencedReply = { outcome: 'ok'; value: string } | { outcome: 'stale'; highest: number } | { outcome: 'moved'; current: string };

/** Reads a fenced script's `{outcome, detail}` answer; anything else is a protocol error. */
export function parseFencedReply(reply: unknown): FencedReply {
  if (!Array.isArray(reply) || reply.length !== 2 || typeof reply[1] !== 'string') {
    throw new TypeError(`unexpected fenced script reply ${JSON.stringify(reply)}`);
  }
  const [outcome, detail] = reply as [unknown, string];
  if (outcome === 'ok') return { outcome, value: detail };
  if (outcome === 'stale') return { outcome, highest: Number(detail) };
  if (outcome === 'moved') return { outcome, current: detail };
  throw new TypeError(`unexpected fenced script outcome ${JSON.stringify(outcome)}`);
}
