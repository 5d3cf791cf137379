import { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { LevelWithSilent } from 'pino';
import type { Options } from 'pino-http';
import type { LogLevelName } from '@app/config';
import { batchedStdout } from './batched-stdout';

/** LOG_LEVEL (Nest's names) as pino's. */
const PINO_LEVELS: Record<LogLevelName, LevelWithSilent> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug' };

/**
 * Both apps' logging: pino, one JSON line per event on stdout, every line of an HTTP request (the
 * app's own and the closing `POST /orders 201`) carrying its `requestId`. Pretty output only when
 * stdout is a terminal; the local cluster's log files, compose and k8s get JSON. No headers are
 * logged (the Authorization header must never reach a log file). `silent` is for in-process tests.
 */
export function jsonLoggingModule(app: string, level: LogLevelName | 'silent'): DynamicModule {
  const pretty = process.stdout.isTTY && level !== 'silent';
  const options: Options = {
    level: level === 'silent' ? 'silent' : PINO_LEVELS[level],
    base: { app, pid: process.pid },
    // The id is Fastify's (`requestIdOf`, see JsonErrorsFastifyAdapter); the request and the
    // closing line bind `requestId` alone, never the request object with its headers.
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    customSuccessMessage: (req, res) => `${req.method} ${req.url} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${req.url} ${res.statusCode}`,
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    transport: pretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
  };
  return LoggerModule.forRoot({ pinoHttp: pretty || level === 'silent' ? options : [options, batchedStdout()] });
}
