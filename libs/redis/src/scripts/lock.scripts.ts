import { LuaScript } from '../lua-script';

/** Lua: the server's clock in ms, read only where a place in a lock's line is written. */
const NOW_MS = `
  local function nowMs()
    local now = redis.call('TIME')
    return now[1] * 1000 + math.floor(now[2] / 1000)
  end`;

/**
 * Take the lock and its fencing token in one step, and keep the line of waiting processes (a
 * sorted set, oldest first) that the release script wakes one at a time. A lock just released to
 * a woken process is reserved for it a few milliseconds (`releaseAndAnnounce`): anyone else,
 * the releaser's own next batch included, then joins the line instead of barging in ahead of it.
 * KEYS[1] lock key, KEYS[2] token counter, KEYS[3] waiting processes, KEYS[4] the process the
 * last release woke, KEYS[5] the process the lock is reserved for; ARGV[1] owner's random value,
 * ARGV[2] TTL in ms, ARGV[3] the trying process's id, ARGV[4] '1' if other callers of that
 * process still wait for this lock.
 * Returns the new fencing token (> 0); false when someone else holds the lock; minus the
 * milliseconds left when it is reserved for another process. In both refusals the process is
 * then in line, keeping its place if it had one.
 */
export const acquireWithToken = new LuaScript(
  'lock.acquire',
  `${NOW_MS}
  -- it came (whether or not it gets in): no longer the process woken and awaited
  if redis.call('GET', KEYS[4]) == ARGV[3] then
    redis.call('DEL', KEYS[4])
  end
  local reserved = redis.call('GET', KEYS[5])
  if reserved and reserved ~= ARGV[3] then
    redis.call('ZADD', KEYS[3], 'NX', nowMs(), ARGV[3])
    return -math.max(1, redis.call('PTTL', KEYS[5]))
  end
  -- SET NX PX: only if nobody holds it, and only for the TTL
  if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
    if reserved then
      redis.call('DEL', KEYS[5])
    end
    -- served: out of the line, or to its end if more of its callers wait
    if ARGV[4] == '1' then
      redis.call('ZADD', KEYS[3], nowMs(), ARGV[3])
    else
      redis.call('ZREM', KEYS[3], ARGV[3])
    end
    -- the counter only grows, so later holders always carry higher tokens
    return redis.call('INCR', KEYS[2])
  end
  redis.call('ZADD', KEYS[3], 'NX', nowMs(), ARGV[3])
  return false
  `,
);

/**
 * Release only our own lock, and hand it to the process first in line in the same step: a holder
 * whose TTL passed must not delete its successor's lock, and waking one process (on its own
 * channel, `<release channel>:<process id>`) instead of all spares the others a try that would
 * fail. Redisson's unlock publishes in its script too, to every waiter. The woken process has the
 * lock reserved for ARGV[4] ms: without it the releaser's next batch, a round trip away, takes the
 * lock back before the woken one (a wake-up and a round trip away) arrives, and the lock
 * ping-pongs between few processes in small batches while the others pay failed tries. A process
 * that no longer listens (PUBLISH reached nobody: it died, or left) loses its place; so does one
 * that the last release woke and that has not tried since (paused, say, by SIGSTOP: its connection
 * still takes the message), so that it costs the line one reservation, not one per turn; it joins
 * again with its next try. The next one is tried.
 * KEYS[1] lock key, KEYS[2] waiting processes, KEYS[3] the process the last release woke, KEYS[4]
 * the process the lock is reserved for; ARGV[1] owner's random value, ARGV[2] the lock's release
 * channel, ARGV[3] the releasing process's id, ARGV[4] the reservation in ms.
 * Returns 0 if the lock was not ours (any more), else the id of the process woken ('' if none).
 * The releasing process is never sent its own wake-up, nor a reservation: it wakes its caller itself.
 */
export const releaseAndAnnounce = new LuaScript(
  'lock.release',
  `
  -- still ours? otherwise leave the new holder alone
  if redis.call('GET', KEYS[1]) ~= ARGV[1] then
    return 0
  end
  redis.call('DEL', KEYS[1])
  local awaited = redis.call('GET', KEYS[3])
  if awaited then
    redis.call('DEL', KEYS[3])
    redis.call('ZREM', KEYS[2], awaited)
  end
  for _ = 1, 8 do
    local next = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
    if not next or next == ARGV[3] then
      return next or ''
    end
    if redis.call('PUBLISH', ARGV[2] .. ':' .. next, '1') > 0 then
      redis.call('SET', KEYS[3], next, 'PX', 60000)
      redis.call('SET', KEYS[4], next, 'PX', ARGV[4])
      return next
    end
    redis.call('ZREM', KEYS[2], next)
  end
  return ''
  `,
);

/**
 * Extend our own lock (the watchdog's renewal).
 * KEYS[1] lock key; ARGV[1] owner's random value, ARGV[2] new TTL in ms. Returns 1 if extended.
 */
export const compareAndExpire = new LuaScript(
  'lock.renew',
  `
  -- only the owner may extend, and only while the key still exists
  if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('PEXPIRE', KEYS[1], ARGV[2])
  end
  return 0
  `,
);
