import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { toErrorResponse } from './error-response';

/**
 * Every HTTP error leaves as JSON with the status `toErrorResponse` chose. Nest's own HTTP
 * exceptions keep their body (terminus puts the health details there).
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof HttpException) {
      void reply.status(exception.getStatus()).send(exception.getResponse());
      return;
    }
    const response = toErrorResponse(exception);
    void reply.status(response.statusCode).send(response);
  }
}
