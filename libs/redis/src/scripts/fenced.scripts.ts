import { LuaScript } from '../lua-script';

/**
 * The fence check every fenced script starts with (DESIGN §3). The fence key holds the highest
 * `<epoch>:<token>` seen on any read or write; pairs compare epoch first, so a holder of an older
 * epoch (an older config, whatever lock family it used) is refused once anyone of a newer epoch has
 * come by, and within one epoch the lower token is refused. Returns the stored pair's text when
 * ARGV[1], ARGV[2] (epoch, token) is below it, else raises the fence to the caller's pair and
 * returns nil.
 */
const FENCE_CHECK = `
local function fence(key, epochText, tokenText)
  local epoch, token = tonumber(epochText), tonumber(tokenText)
  local stored = redis.call('GET', key)
  if stored then
    local e, t = string.match(stored, '^(%d+):(%d+)$')
    e, t = tonumber(e), tonumber(t)
    if epoch < e or (epoch == e and token < t) then
      return stored
    end
    -- equal: the same holder again (or tokenless holders of one epoch); nothing to raise
    if epoch == e and token == t then return nil end
  end
  -- the caller's own digits: Lua would print a big number in floating-point notation
  redis.call('SET', key, epochText .. ':' .. tokenText)
  return nil
end
-- a mark '<ms>:<seq>' as two numbers; '' (none yet) is below every mark
local function mark(text)
  if not text or text == '' then return -1, -1 end
  local ms, seq = string.match(text, '^(%d+):(%d+)$')
  return tonumber(ms), tonumber(seq)
end
`;

/**
 * Every script answers a two-element array, `{outcome, detail}`, read by `parseFencedReply`:
 * `ok` (detail: the value read, '' for none), `stale` (detail: the fence's `<epoch>:<token>`) or
 * `moved` (detail: the mark found). A refusal is an answer, not a Redis error, so that it can
 * never be confused with a failed command.
 *
 * KEYS[1] value, KEYS[2] fence; ARGV[1] epoch, ARGV[2] token.
 */
export const fencedGet = new LuaScript(
  'fenced.get',
  `${FENCE_CHECK}
  local stale = fence(KEYS[2], ARGV[1], ARGV[2])
  if stale then return {'stale', stale} end
  return {'ok', redis.call('GET', KEYS[1]) or ''}
  `,
);

/**
 * Writes a mark, fenced, and (ARGV[4] = '1') never backwards: a mark below the stored one is
 * refused (`moved`), so a holder can never undo a pool append or a newer holder's write, whatever
 * the fence let through. Tokenless guards (`none`, `local`) pass '' and are fenced by epoch only,
 * so that what they demonstrate inside one epoch stays visible.
 * KEYS[1] mark, KEYS[2] fence; ARGV[1] epoch, ARGV[2] token, ARGV[3] new mark, ARGV[4] '1' or ''.
 */
export const fencedSet = new LuaScript(
  'fenced.set',
  `${FENCE_CHECK}
  local stale = fence(KEYS[2], ARGV[1], ARGV[2])
  if stale then return {'stale', stale} end
  local current = redis.call('GET', KEYS[1]) or ''
  local ms, seq = mark(current)
  local newMs, newSeq = mark(ARGV[3])
  if ARGV[4] == '1' and (newMs < ms or (newMs == ms and newSeq < seq)) then
    return {'moved', current}
  end
  redis.call('SET', KEYS[1], ARGV[3])
  return {'ok', ''}
  `,
);

/**
 * Raises a bound to at least the given mark, fenced: a bound that several writers share (snowflake's
 * reserved milliseconds, one bound for all worker IDs), so a lower value is no refusal, just no
 * change. KEYS[3], the writer's own bound (one worker ID's), is raised with it.
 * KEYS[1] bound, KEYS[2] fence, KEYS[3] own bound; ARGV[1] epoch, ARGV[2] token, ARGV[3] mark.
 */
export const fencedRaise = new LuaScript(
  'fenced.raise',
  `${FENCE_CHECK}
  local stale = fence(KEYS[2], ARGV[1], ARGV[2])
  if stale then return {'stale', stale} end
  local newMs, newSeq = mark(ARGV[3])
  for _, key in ipairs({KEYS[1], KEYS[3]}) do
    local ms, seq = mark(redis.call('GET', key) or '')
    if newMs > ms or (newMs == ms and newSeq > seq) then
      redis.call('SET', key, ARGV[3])
    end
  end
  return {'ok', ''}
  `,
);

/**
 * Append values to a list and move a high-water mark, both or neither, fenced like the above.
 * KEYS[1] list, KEYS[2] mark, KEYS[3] fence; ARGV[1] epoch, ARGV[2] token, ARGV[3] expected
 * current mark ('' when none), ARGV[4] new mark, ARGV[5..] values. Refuses (`moved`) when the mark
 * is no longer the one the caller computed from, so two fillers can never push the same values.
 */
export const fencedAppend = new LuaScript(
  'fenced.append',
  `${FENCE_CHECK}
  local stale = fence(KEYS[3], ARGV[1], ARGV[2])
  if stale then return {'stale', stale} end
  -- the caller computed the values from this mark; if it moved, they may repeat someone's
  local current = redis.call('GET', KEYS[2]) or ''
  if current ~= ARGV[3] then
    return {'moved', current}
  end
  redis.call('SET', KEYS[2], ARGV[4])
  return {'ok', tostring(redis.call('RPUSH', KEYS[1], unpack(ARGV, 5)))}
  `,
);

/** A fence position: the epoch (config generation) first, then the lock's token within it. */
export interface FencePosition {
  epoch: number;
  token: number;
}

export type FencedReply = { outcome: 'ok'; value: string } | { outcome: 'stale'; highest: FencePosition } | { outcome: 'moved'; current: string };

/** Reads a fenced script's `{outcome, detail}` answer; anything else is a protocol error. */
export function parseFencedReply(reply: unknown): FencedReply {
  if (!Array.isArray(reply) || reply.length !== 2 || typeof reply[1] !== 'string') {
    throw new TypeError(`unexpected fenced script reply ${JSON.stringify(reply)}`);
  }
  const [outcome, detail] = reply as [unknown, string];
  if (outcome === 'ok') return { outcome, value: detail };
  if (outcome === 'stale') {
    const match = /^(\d+):(\d+)$/.exec(detail);
    if (!match) throw new TypeError(`unexpected fence position ${JSON.stringify(detail)}`);
    return { outcome, highest: { epoch: Number(match[1]), token: Number(match[2]) } };
  }
  if (outcome === 'moved') return { outcome, current: detail };
  throw new TypeError(`unexpected fenced script outcome ${JSON.stringify(outcome)}`);
}
