import { IncomingMessage, STATUS_CODES } from 'node:http';
import { BadRequestException, HttpException } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import { REQUEST_ID_HEADER } from '@app/contracts';
import { requestIdOf } from './request-id';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

type ErrorHandler = (this: FastifyInstance, error: unknown, request: FastifyRequest, reply: FastifyReply) => unknown;

/**
 * How much of a body over the limit is read and thrown away so that the client gets its 413:
 * closing a socket with unread bytes makes the kernel answer with a reset, and the client sees
 * a broken connection instead of the answer. Past this, the connection is cut after all.
 */
const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Fastify rejects some requests before a route runs: a body that is not JSON, a content type no
 * parser takes, a body over the limit. Nest hands those to the exception filter as an
 * HttpException whose body is a bare string, which leaves as text/plain. This adapter gives them
 * the `{statusCode, error, message}` body every other error has, says why a body is not JSON, and
 * takes JSON only (Fastify would also parse text/plain into a string body).
 */
export class JsonErrorsFastifyAdapter extends FastifyAdapter {
  /**
   * Also gives every request its id (the caller's `X-Request-Id` when acceptable, else a new
   * one), answered in `X-Request-Id`: Fastify's own id is the one pino-http logs under.
   */
  constructor(options: Omit<FastifyServerOptions, 'genReqId'> = {}) {
    super({ ...options, genReqId: requestIdOf });
    this.getInstance().addHook('onRequest', async (request, reply) => {
      void reply.header(REQUEST_ID_HEADER, request.id);
    });
  }

  override registerParserMiddleware(prefix?: string, rawBody?: boolean): void {
    super.registerParserMiddleware(prefix, rawBody);
    const fastify = this.getInstance();
    const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
    // Still Fastify's parser, for its __proto__ and constructor checks; only the failure changes.
    const parse = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
    fastify.removeContentTypeParser(['application/json', 'text/plain']);
    // As bytes: decoded as a string, bytes that are not UTF-8 would become U+FFFD and fail as a
    // length mismatch ("did not match Content-Length"), which names the wrong problem.
    fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      let text: string;
      try {
        text = utf8.decode(body as Buffer);
      } catch {
        done(new BadRequestException('body is not valid UTF-8'));
        return;
      }
      // Fastify's default parser is the callback kind (it answers through `done`, returns nothing); the type also admits the promise kind.
      void parse(request, text, (error, value) => {
        if ((error as FastifyError | null)?.code === 'FST_ERR_CTP_INVALID_JSON_BODY')
          done(new BadRequestException(`body is not valid JSON: ${whyNotJson(text)}`));
        else done(error, value);
      });
    });
  }

  override setErrorHandler(handler: ErrorHandler): FastifyInstance {
    return super.setErrorHandler(function (this: FastifyInstance, error: unknown, request: FastifyRequest, reply: FastifyReply) {
      const answer = () => handler.call(this, asHttpException(error), request, reply);
      if ((error as FastifyError | null)?.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') return answer();
      return discardRest(request.raw, MAX_DISCARDED_BYTES).then(answer);
    });
  }
}

/** Reads what the client still sends of a refused body, up to `maxBytes`; resolves when it ends or is given up. */
function discardRest(stream: IncomingMessage, maxBytes: number): Promise<void> {
  if (stream.readableEnded || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const finish = () => {
      stream.off('data', onData).off('end', finish).off('error', finish).off('close', finish);
      resolve();
    };
    const onData = (chunk: Buffer | string) => {
      seen += chunk.length;
      if (seen > maxBytes) finish(); // too much to read on: the connection will be cut
    };
    stream.on('data', onData).on('end', finish).on('error', finish).on('close', finish);
    stream.resume();
  });
}

/** Fastify's own 4xx as an HttpException with a JSON body; anything else unchanged. */
function asHttpException(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'FastifyError') return error;
  const { statusCode } = error as FastifyError;
  if (statusCode === undefined || statusCode < 400 || statusCode >= 500) return error;
  return new HttpException({ statusCode, error: STATUS_CODES[statusCode] ?? 'Client Error', message: error.message }, statusCode, {
    cause: error,
  });
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
