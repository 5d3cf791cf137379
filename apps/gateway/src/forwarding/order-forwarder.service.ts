import { Inject, Injectable, Logger } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { createLoadBalancer } from '../balancing/load-balancer.factory';
import { LoadBalancer } from '../balancing/load-balancer';
import { GatewayConfig, RpcPattern } from '@app/contracts';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { ReplicaRegistration as Replica } from '@app/contracts';
import { ReplicaRegistry } from '../discovery/replica-registry.service';
import {
  NoReplicaError,
  ReplicaFailedError,
  ReplicaNoAnswerError,
  ReplicaRejectedError,
  ReplicaUnreachableError,
} from './forwarding.errors';
import { ReplicaActivity } from './replica-activity';
import { ReplicaClients } from './replica-clients.service';

/** A replica's answer and who gave it. */
export interface Forwarded {
  replica: string;
  body: unknown;
}

interface NotSent {
  replica: string;
  reason: string;
}

// A loopback or LAN connect is refused or accepted within milliseconds; waiting longer only
// delays the safe retry on another replica.
const MAX_CONNECT_MS = 2000;

/**
 * Sends one message pattern to one replica chosen by the balancer. Only a call that provably never
 * left the gateway (no connection) is retried, once, on another replica: once the bytes are sent
 * the replica may have issued the number, and a blind retry could issue a second one.
 */
@Injectable()
export class OrderForwarder {
  readonly activity = new ReplicaActivity();
  private readonly logger = new Logger(OrderForwarder.name);
  readonly balancer: LoadBalancer;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly registry: ReplicaRegistry,
    private readonly clients: ReplicaClients,
  ) {
    this.balancer = createLoadBalancer(config.LB_POLICY);
  }

  /**
   * `replayable`: the call carries an Idempotency-Key, so a call of unknown fate may be sent once
   * more to another replica as well: if the first one issued, the second replays its answer.
   */
  async forward(pattern: RpcPattern, payload: unknown, options: { replayable?: boolean } = {}): Promise<Forwarded> {
    const notSent: NotSent[] = [];
    const tried: string[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const candidates = this.registry.replicas().filter((replica) => !tried.includes(replica.id));
      if (candidates.length === 0) break;
      const replica = this.balancer.pick(
        candidates.map((candidate) => ({ ...candidate, active: this.activity.of(candidate.id).inFlight })),
      );
      tried.push(replica.id);
      let outcome: Forwarded | NotSent;
      try {
        outcome = await this.attempt(replica, pattern, payload);
      } catch (error) {
        const unknownFate = error instanceof ReplicaNoAnswerError && options.replayable === true && attempt === 0;
        if (!unknownFate || candidates.length < 2) throw error;
        this.logger.warn(`retrying a keyed call on another replica: ${error.message}`);
        continue;
      }
      if ('body' in outcome) return outcome;
      notSent.push(outcome);
    }
    if (notSent.length === 0) throw new NoReplicaError(this.registry.path);
    throw new ReplicaUnreachableError(notSent);
  }

  private async attempt(replica: Replica, pattern: RpcPattern, payload: unknown): Promise<Forwarded | NotSent> {
    const client = this.clients.clientFor(replica);
    this.activity.started(replica.id);
    try {
      await this.connect(client);
    } catch (error) {
      this.activity.abandoned(replica.id);
      this.clients.discard(replica);
      return { replica: replica.id, reason: describe(error) };
    }
    try {
      const body = await firstValueFrom(client.send<unknown>(pattern, payload).pipe(timeout({ first: this.config.RPC_TIMEOUT_MS })));
      this.activity.finished(replica.id, 'served');
      return { replica: replica.id, body };
    } catch (error) {
      if (isRefused(error)) {
        // The connection dropped between connect() and send, and send's own redial was refused: not sent.
        this.activity.abandoned(replica.id);
        return { replica: replica.id, reason: describe(error) };
      }
      const translated = this.translate(replica, error);
      const rejected = translated instanceof ReplicaRejectedError;
      this.activity.finished(replica.id, rejected ? 'rejected' : 'failed');
      // A refusal is the client's business; a call of unknown fate or a replica's own failure is ours.
      if (!rejected) this.logger.warn(translated.message);
      throw translated;
    }
  }

  private async connect(client: ClientProxy): Promise<void> {
    const deadlineMs = Math.min(MAX_CONNECT_MS, this.config.RPC_TIMEOUT_MS);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`connect timed out after ${deadlineMs} ms`)), deadlineMs);
    });
    try {
      await Promise.race([client.connect(), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private translate(replica: Replica, error: unknown): Error {
    if (error instanceof TimeoutError) {
      return new ReplicaNoAnswerError(replica.id, `no answer within ${this.config.RPC_TIMEOUT_MS} ms`, { cause: error });
    }
    if (isErrorLike(error)) return new ReplicaNoAnswerError(replica.id, error.message.toLowerCase(), { cause: error });
    // Anything else is the error object the replica's RPC exception filter sent back.
    if (isRecord(error) && typeof error.statusCode === 'number') {
      const message = Array.isArray(error.message) ? error.message.join('; ') : String(error.message ?? 'rejected');
      const retryAfterSeconds = typeof error.retryAfterSeconds === 'number' ? error.retryAfterSeconds : undefined;
      return new ReplicaRejectedError(
        replica.id,
        error.statusCode,
        message,
        typeof error.error === 'string' ? error.error : undefined,
        retryAfterSeconds,
      );
    }
    return new ReplicaFailedError(replica.id, isRecord(error) && typeof error.message === 'string' ? error.message : JSON.stringify(error));
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * A thrown Error, as opposed to the plain error object a replica sends back. Duck-typed: errors
 * raised by Node's own sockets may come from another realm (a Jest sandbox), where instanceof fails.
 */
function isErrorLike(error: unknown): error is Error & { code?: unknown } {
  return error instanceof Error || (isRecord(error) && typeof error.message === 'string' && typeof error.stack === 'string');
}

function isRefused(error: unknown): boolean {
  return isErrorLike(error) && error.code === 'ECONNREFUSED';
}

function describe(error: unknown): string {
  if (!isErrorLike(error)) return String(error);
  return typeof error.code === 'string' ? error.code : error.message;
}
