export * from './cluster-env';
export * from './http-json';
export * from './launch-cluster';
export * from './local-cluster';
export * from './node-app';
export * from './repo-root';
export * from './operator-credentials';
