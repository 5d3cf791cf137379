import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { REQUEST_ID_HEADER, requestIdSchema } from '@app/contracts';

/** The caller's X-Request-Id when it is one we accept (`requestIdSchema`), else a new UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && requestIdSchema.safeParse(incoming).success ? incoming : randomUUID();
}
