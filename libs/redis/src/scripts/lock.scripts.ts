import { LuaScript } from '../lua-script';

/**
 * Take the lock and its fencing token in one step.
 * KEYS[1] lock key, KEYS[2] token counter; ARGV[1] owner's random value, ARGV[2] TTL in ms.
 * Returns the new fencing token, or false when someone else holds the lock.
 */
export const acquireWithToken = new LuaScript(
  'lock.acquire',
  `
  -- SET NX PX: only if nobody holds it, and only for the TTL
  if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
    -- the counter only grows, so later holders always carry higher tokens
    return redis.call('INCR', KEYS[2])
  end
  return false
  `,
);

/**
 * Release only our own lock: a holder whose TTL passed must not delete its successor's lock.
 * KEYS[1] lock key; ARGV[1] owner's random value. Returns 1 if deleted, 0 if not ours (any more).
 */
export const compareAndDelete = new LuaScript(
  'lock.release',
  `
  -- still ours? then delete; otherwise leave the new holder alone
  if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
  end
  return 0
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
