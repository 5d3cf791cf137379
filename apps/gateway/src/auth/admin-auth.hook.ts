import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError } from '@app/errors';
import { toErrorResponse } from '@app/http';
import { ADMIN_ONLY } from './admin-only.decorator';
import { AdminToken } from './admin-token';

/** Checks the token of every `@AdminOnly()` route first thing, in `onRequest` (see AdminOnly). */
export function registerAdminAuth(fastify: FastifyInstance, token: AdminToken): void {
  if (!token.enabled) return;
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if ((request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[ADMIN_ONLY] !== true) return;
    try {
      token.check(request.headers.authorization, `${request.method} ${request.routeOptions.url ?? request.url}`);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      return reply.code(error.statusCode).headers(error.responseHeaders()).send(toErrorResponse(error));
    }
  });
}
