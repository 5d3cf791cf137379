export * from './lock';
export * from './errors';
export * from './with-lock';
export { abortable, AcquireStage, sleep } from './wait';
export * from './local.lock';
export * from './unguarded.lock';
export * from './redis.lock';
export * from './zookeeper-sequential.lock';
export * from './zookeeper-ephemeral.lock';
