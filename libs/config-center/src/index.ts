export * from './config-node';
export * from './config-patch';
export * from './config-target';
