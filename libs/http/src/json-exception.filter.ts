import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ServiceError } from '@app/errors';
import { toErrorResponse } from './error-response';

/** Both apps' one HTTP exception filter: every error leaves as `{statusCode, error, message, ...}` JSON. */
@Catch()
export class JsonExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = toErrorResponse(exception);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof ServiceError) void reply.headers(exception.responseHeaders());
    void reply.status(response.statusCode).send(response);
  }
}
