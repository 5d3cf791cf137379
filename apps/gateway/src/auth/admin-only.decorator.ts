import { RouteConfig } from '@nestjs/platform-fastify';

/** The Fastify route config key `registerAdminAuth` looks for. */
export const ADMIN_ONLY = 'adminOnly';

/**
 * Marks an operator endpoint: the token is checked in Fastify's `onRequest` hook, before the body
 * is even read, so an unauthenticated caller gets 401 ahead of any 400/413/415 about its request.
 */
export const AdminOnly = (): MethodDecorator => RouteConfig({ [ADMIN_ONLY]: true });
