import { LuaScript } from '../lua-script';

/**
 * Lists whose contents are valid only in the Redis run that filled them. A Redis that comes back
 * as a new run (its `run_id` changed: a restart, a restore, a failover) may have lost writes it
 * had acknowledged — an LPOP taken from a pool before the crash can reappear in the list — so
 * such lists must be thrown away before anyone reads them again. The run that armed the lists is
 * kept in a key; both scripts compare it with the server's own `run_id`, read inside the script,
 * so no command can slip between the check and the pop.
 */
const CURRENT_RUN = `local run = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')`;

/** KEYS[1] list, KEYS[2] armed run. `{'ok', value}`, `{'empty', ''}` or `{'new-run', ''}` (not re-armed since a restart). */
export const runBoundPop = new LuaScript(
  'run-bound.pop',
  `
  ${CURRENT_RUN}
  -- lists armed by an earlier run may hold numbers that were already handed out
  if redis.call('GET', KEYS[2]) ~= run then
    return {'new-run', ''}
  end
  local value = redis.call('LPOP', KEYS[1])
  if not value then
    return {'empty', ''}
  end
  return {'ok', value}
  `,
);

/**
 * The same check, popping up to ARGV[1] elements at once (`LPOP key count`, Redis 6.2+) for a
 * replica's local prefetch buffer. `{'ok', {values...}}`, `{'empty', {}}` or `{'new-run', {}}`.
 */
export const runBoundPopMany = new LuaScript(
  'run-bound.pop-many',
  `
  ${CURRENT_RUN}
  if redis.call('GET', KEYS[2]) ~= run then
    return {'new-run', {}}
  end
  -- one round trip for a whole batch; Redis still pops each element exactly once
  local values = redis.call('LPOP', KEYS[1], ARGV[1])
  if not values then
    return {'empty', {}}
  end
  return {'ok', values}
  `,
);

/**
 * KEYS[1] armed run, KEYS[2..] the lists. In the same run: `{'same', run}`. In a new run: deletes
 * every list and arms them for this run, `{'new', run}`.
 */
export const armRun = new LuaScript(
  'run-bound.arm',
  `
  ${CURRENT_RUN}
  if redis.call('GET', KEYS[1]) == run then
    return {'same', run}
  end
  for i = 2, #KEYS do
    redis.call('DEL', KEYS[i])
  end
  redis.call('SET', KEYS[1], run)
  return {'new', run}
  `,
);

export type RunBoundPopReply = { outcome: 'ok'; value: string } | { outcome: 'empty' } | { outcome: 'new-run' };

export function parseRunBoundPop(reply: unknown): RunBoundPopReply {
  if (Array.isArray(reply) && reply.length === 2 && typeof reply[1] === 'string') {
    if (reply[0] === 'ok') return { outcome: 'ok', value: reply[1] };
    if (reply[0] === 'empty' || reply[0] === 'new-run') return { outcome: reply[0] };
  }
  throw new TypeError(`unexpected run-bound pop reply ${JSON.stringify(reply)}`);
}

export type RunBoundPopManyReply = { outcome: 'ok'; values: string[] } | { outcome: 'empty' } | { outcome: 'new-run' };

export function parseRunBoundPopMany(reply: unknown): RunBoundPopManyReply {
  if (Array.isArray(reply) && reply.length === 2 && Array.isArray(reply[1])) {
    const values: unknown[] = reply[1];
    if (reply[0] === 'ok' && values.length > 0 && values.every((value) => typeof value === 'string')) {
      return { outcome: 'ok', values: values as string[] };
    }
    if ((reply[0] === 'empty' || reply[0] === 'new-run') && values.length === 0) return { outcome: reply[0] };
  }
  throw new TypeError(`unexpected run-bound pop-many reply ${JSON.stringify(reply)}`);
}

/** True when `armRun` found a new run and discarded the lists. */
export function parseArmRun(reply: unknown): boolean {
  if (Array.isArray(reply) && reply.length === 2 && (reply[0] === 'same' || reply[0] === 'new')) return reply[0] === 'new';
  throw new TypeError(`unexpected run-bound arm reply ${JSON.stringify(reply)}`);
}
