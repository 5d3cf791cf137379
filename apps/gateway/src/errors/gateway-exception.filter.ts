import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ZookeeperUnavailableError } from '@app/zookeeper';
import { ForwardingError, ReplicaFailedError, ReplicaNoAnswerError, ReplicaRejectedError } from '../forwarding/forwarding.errors';

interface ErrorBody {
  statusCode: number;
  message: string | string[] | object;
  error?: string;
  replica?: string;
}

/** The gateway's one exception filter: every typed error becomes `{statusCode, message, ...}` JSON. */
@Catch()
export class GatewayExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('GatewayExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const body = this.toBody(exception);
    void host.switchToHttp().getResponse<FastifyReply>().status(body.statusCode).send(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof ReplicaRejectedError) {
      return { statusCode: exception.statusCode, message: exception.message, error: exception.error, replica: exception.replica };
    }
    if (exception instanceof ReplicaNoAnswerError || exception instanceof ReplicaFailedError) {
      this.logger.warn(exception.message);
      return { statusCode: exception.statusCode, message: exception.message, error: STATUS_CODES[exception.statusCode], replica: exception.replica };
    }
    if (exception instanceof ForwardingError) {
      return { statusCode: exception.statusCode, message: exception.message, error: STATUS_CODES[exception.statusCode] };
    }
    if (exception instanceof ZookeeperUnavailableError) {
      return { statusCode: 503, message: exception.message, error: 'Service Unavailable' };
    }
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      return typeof response === 'object'
        ? { statusCode: exception.getStatus(), ...(response as Omit<ErrorBody, 'statusCode'>) }
        : { statusCode: exception.getStatus(), message: response };
    }
    // Fastify's own errors (malformed JSON, body too large) carry their status as `statusCode`.
    const statusCode = exception instanceof Error ? (exception as Error & { statusCode?: unknown }).statusCode : undefined;
    if (exception instanceof Error && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return { statusCode, message: exception.message, error: STATUS_CODES[statusCode] };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { statusCode: 500, message: 'internal gateway error', error: 'Internal Server Error' };
  }
}
