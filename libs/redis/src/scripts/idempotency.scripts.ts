import { LuaScript } from '../lua-script';

/**
 * Replace a reservation by the answer, only while the reservation is still ours: one whose TTL
 * ran out may have been taken by a retry, which then owns the key.
 * KEYS[1] key; ARGV[1] our reservation's value, ARGV[2] the answer, ARGV[3] its TTL in ms.
 * Returns 1 if stored, 0 if the key is no longer ours.
 */
export const completeReservation = new LuaScript(
  'idempotency.complete',
  `
  if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
    return 1
  end
  return 0
  `,
);

/**
 * Give a reservation up (the issue failed), only while it is still ours, so that a retry may issue.
 * KEYS[1] key; ARGV[1] our reservation's value. Returns 1 if deleted.
 */
export const releaseReservation = new LuaScript(
  'idempotency.release',
  `
  if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
  end
  return 0
  `,
);
