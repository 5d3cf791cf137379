import { STATUS_CODES } from 'node:http';
import { BadRequestException, HttpException } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

type ErrorHandler = (this: FastifyInstance, error: unknown, request: FastifyRequest, reply: FastifyReply) => unknown;

/**
 * Fastify rejects some requests before a route runs: a body that is not JSON, a content type no
 * parser takes, a body over the limit. Nest hands those to the exception filter as an
 * HttpException whose body is a bare string, which leaves as text/plain. This adapter gives them
 * the `{statusCode, error, message}` body every other error has, and says why a body is not JSON.
 */
export class JsonErrorsFastifyAdapter extends FastifyAdapter {
  override registerParserMiddleware(prefix?: string, rawBody?: boolean): void {
    super.registerParserMiddleware(prefix, rawBody);
    const fastify = this.getInstance();
    const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
    // Still Fastify's parser, for its __proto__ and constructor checks; only the failure changes.
    const parse = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
    fastify.removeContentTypeParser('application/json');
    fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const text = String(body);
      // Fastify's default parser is the callback kind (it answers through `done`, returns nothing); the type also admits the promise kind.
      void parse(request, text, (error, value) => {
        if ((error as FastifyError | null)?.code === 'FST_ERR_CTP_INVALID_JSON_BODY') done(new BadRequestException(`body is not valid JSON: ${whyNotJson(text)}`));
        else done(error, value);
      });
    });
  }

  override setErrorHandler(handler: ErrorHandler): FastifyInstance {
    return super.setErrorHandler(function (this: FastifyInstance, error: unknown, request: FastifyRequest, reply: FastifyReply) {
      return handler.call(this, asHttpException(error), request, reply);
    });
  }
}

/** Fastify's own 4xx as an HttpException with a JSON body; anything else unchanged. */
function asHttpException(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'FastifyError') return error;
  const { statusCode } = error as FastifyError;
  if (statusCode === undefined || statusCode < 400 || statusCode >= 500) return error;
  return new HttpException({ statusCode, error: STATUS_CODES[statusCode] ?? 'Client Error', message: error.message }, statusCode, { cause: error });
}

/** Fastify's parser only says that parsing failed; the built-in one says where. */
function whyNotJson(text: string): string {
  try {
    JSON.parse(text);
    return 'it sets __proto__ or constructor.prototype';
  } catch (error) {
    return (error as Error).message;
  }
}
