export * from './error-response';
export * from './json-exception.filter';
export * from './json-errors.fastify-adapter';
