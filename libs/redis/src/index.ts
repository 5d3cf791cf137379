export * from './redis-client';
export * from './lua-script';
export * from './scripts/lock.scripts';
export * from './scripts/fenced.scripts';
export * from './scripts/idempotency.scripts';
export * from './scripts/run-bound.scripts';
export * from './scripts/epoch.scripts';
export * from './replica-acknowledgement';
