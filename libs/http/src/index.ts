export * from './error-response';
export * from './json-exception.filter';
export * from './json-errors.fastify-adapter';
export * from './json-logging.module';
export * from './request-log-context';
export * from './request-id';
export * from './corked-json-socket';
