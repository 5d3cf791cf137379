import { HttpException, Logger } from '@nestjs/common';
import { LockBackendError, LockLostError, LockTimeoutError } from '@app/locks';
import { IssueDeadlineError, StaleTokenError, StrategyUnavailableError } from '@app/order-numbers';
import { RedisUnavailableError } from '@app/redis';
import { NoFreeSlotError, ZookeeperUnavailableError } from '@app/zookeeper';
import { InvalidOrderRequestError } from '../orders/create-order.request';

export interface ErrorResponse {
  statusCode: number;
  error: string;
  message: string;
}

/** Failures of a backend or a deadline: the client may retry later, so 503 with the reason. */
const UNAVAILABLE = [
  LockTimeoutError,
  LockBackendError,
  LockLostError,
  StaleTokenError,
  IssueDeadlineError,
  StrategyUnavailableError,
  RedisUnavailableError,
  ZookeeperUnavailableError,
  NoFreeSlotError,
];

const logger = new Logger('Errors');

/** The one mapping from typed errors to what a client sees, shared by HTTP and RPC. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof InvalidOrderRequestError) {
    return { statusCode: error.status, error: error.status === 400 ? 'Bad Request' : 'Unprocessable Entity', message: error.message };
  }
  if (UNAVAILABLE.some((type) => error instanceof type)) {
    return { statusCode: 503, error: 'Service Unavailable', message: (error as Error).message };
  }
  if (error instanceof HttpException) {
    return { statusCode: error.getStatus(), error: error.name, message: error.message };
  }
  const clientError = clientErrorStatus(error);
  if (clientError) return { statusCode: clientError, error: 'Bad Request', message: (error as Error).message };
  logger.error(`unexpected error: ${(error as Error)?.stack ?? String(error)}`);
  return { statusCode: 500, error: 'Internal Server Error', message: (error as Error)?.message ?? String(error) };
}

/** Fastify's own 4xx errors (a body that is not JSON, a wrong content type) carry `statusCode`. */
function clientErrorStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
