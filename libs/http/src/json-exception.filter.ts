import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toErrorResponse } from './error-response';

/** Both apps' one HTTP exception filter: every error leaves as `{statusCode, error, message, ...}` JSON. */
@Catch()
export class JsonExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = toErrorResponse(exception);
    void host.switchToHttp().getResponse<FastifyReply>().status(response.statusCode).send(response);
  }
}
