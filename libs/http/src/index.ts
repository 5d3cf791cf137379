export * from './json-errors.fastify-adapter';
