import { STATUS_CODES } from 'node:http';
import { HttpException, Logger } from '@nestjs/common';
import { ServiceError } from '@app/errors';

/** What every failed request answers, over HTTP and over the gateway's RPC alike. */
export interface ErrorResponse {
  statusCode: number;
  error: string;
  message: string;
  [field: string]: unknown;
}

const logger = new Logger('Errors');

/**
 * The one mapping from a thrown value to what a client sees, by base class: a `ServiceError`
 * says its own status (503 unavailable, 400/422 bad input, ...), Nest's `HttpException` too, and
 * Fastify's own 4xx carry `statusCode`. Anything else is a bug of ours: 500, logged with its stack.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof ServiceError) {
    return { statusCode: error.statusCode, error: statusText(error.statusCode), message: error.message, ...error.responseFields() };
  }
  if (error instanceof HttpException) {
    const statusCode = error.getStatus();
    const response = error.getResponse();
    // Terminus and the JSON adapter put a whole body there; keep it as it is.
    if (typeof response === 'object' && response !== null)
      return { statusCode, error: statusText(statusCode), message: error.message, ...response };
    return { statusCode, error: statusText(statusCode), message: String(response) };
  }
  const clientStatus = clientErrorStatus(error);
  if (clientStatus !== undefined) return { statusCode: clientStatus, error: statusText(clientStatus), message: (error as Error).message };
  logger.error(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return { statusCode: 500, error: statusText(500), message: error instanceof Error ? error.message : String(error) };
}

function statusText(statusCode: number): string {
  return STATUS_CODES[statusCode] ?? 'Error';
}

/** Fastify's own 4xx errors (a wrong content type, a body too large) carry `statusCode`. */
function clientErrorStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
