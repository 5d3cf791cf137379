import { BadRequestException, Logger, ServiceUnavailableException } from '@nestjs/common';
import { BadInputError, NotFoundError, ServiceError, UnavailableError } from '@app/errors';
import { LockLostError, LockTimeoutError } from '@app/locks';
import { StaleTokenError } from '@app/order-numbers';
import { RedisUnavailableError } from '@app/redis';
import { ZookeeperOperationError } from '@app/zookeeper';
import { toErrorResponse } from './error-response';

class SomeNewBackendError extends UnavailableError {}
class SomeNewInputError extends BadInputError {}
class Teapot extends ServiceError {
  readonly statusCode = 418;
  override responseFields(): Record<string, unknown> {
    return { brewing: true };
  }
}
class MissingThing extends NotFoundError {}

describe('toErrorResponse maps by base class', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));

  it('gives 503 with the reason to any UnavailableError, including one no list has heard of', () => {
    for (const sut of [new SomeNewBackendError('the new backend is down'), new RedisUnavailableError('Redis GET failed')]) {
      expect(toErrorResponse(sut)).toEqual({ statusCode: 503, error: 'Service Unavailable', message: sut.message });
    }
  });

  it('gives 503 to the library errors of locks, ledger and ZooKeeper', () => {
    const errors = [
      new LockTimeoutError('business-1', 10, 'redis'),
      new LockLostError('business-1', 'zookeeper', 'session expired'),
      new StaleTokenError({ epoch: 1, token: 3 }, { epoch: 1, token: 4 }, 'ledger:1'),
      new ZookeeperOperationError(-101, 'NO_NODE', 'create', '/locks/x'),
    ];
    expect(errors.map((error) => toErrorResponse(error).statusCode)).toEqual([503, 503, 503, 503]);
  });

  it('gives a BadInputError its own 400 or 422', () => {
    expect(toErrorResponse(new SomeNewInputError(422, 'businessId', 'businessId is not registered'))).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'businessId is not registered',
    });
    expect(toErrorResponse(new SomeNewInputError(400, 'body', 'body must be an object')).statusCode).toBe(400);
  });

  it('adds the fields an error chooses, and takes any status a ServiceError states', () => {
    expect(toErrorResponse(new Teapot('short and stout'))).toEqual({
      statusCode: 418,
      error: "I'm a Teapot",
      message: 'short and stout',
      brewing: true,
    });
    expect(toErrorResponse(new MissingThing('znode /x does not exist')).statusCode).toBe(404);
  });

  it("keeps an HttpException's body (terminus puts the health details there)", () => {
    const health = new ServiceUnavailableException({ status: 'error', error: { redis: { status: 'down' } } });
    expect(toErrorResponse(health)).toMatchObject({ statusCode: 503, status: 'error', error: { redis: { status: 'down' } } });
    expect(toErrorResponse(new BadRequestException('no'))).toMatchObject({ statusCode: 400, message: 'no' });
  });

  it("passes Fastify's own 4xx through, and turns anything else into a 500", () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413 });
    expect(toErrorResponse(tooLarge)).toEqual({ statusCode: 413, error: 'Payload Too Large', message: 'Request body is too large' });
    expect(toErrorResponse(new TypeError('a bug'))).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'a bug' });
  });
});
