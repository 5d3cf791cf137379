import { Inject, Injectable, Logger } from '@nestjs/common';
import { CreateOrderReply, CreateOrderRequest, OrderServiceConfig, parseCreateOrder } from '@app/contracts';
import { EpochSupersededError } from '@app/order-numbers';
import { ReplicaAcknowledgement } from '@app/redis';
import { ConfigCenter } from '../config/config-center.service';
import { ORDER_SERVICE_CONFIG } from '../config/config.tokens';
import { REPLICA_IDENTITY, ReplicaIdentity } from '../config/replica-identity';
import { OrderMetrics } from '../metrics/order-metrics';
import { IdempotencyInProgressError, IdempotencyKeyReusedError, IdempotencyReservationLostError } from './idempotency.errors';
import { IdempotencyStore } from './idempotency.store';
import { IssueHistory } from './issue-history.service';
import { RequestDeadline } from './request-deadline';
import { StrategyRegistry } from './strategy-registry.service';

export interface OrderResponse {
  orderNumber: string;
  strategy: string;
  replica: string;
  businessId: number;
  fencingToken: number | null;
  retries: number;
}

/** How often a request waits for the answer of another one with the same key. */
const KEY_POLL_MS = 25;

/** `POST /orders` for both transports (HTTP and the gateway's TCP), so they cannot drift apart. */
@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);

  constructor(
    private readonly strategies: StrategyRegistry,
    private readonly configCenter: ConfigCenter,
    private readonly metrics: OrderMetrics,
    private readonly idempotency: IdempotencyStore,
    private readonly history: IssueHistory,
    private readonly replicaAcknowledgement: ReplicaAcknowledgement,
    @Inject(REPLICA_IDENTITY) private readonly identity: ReplicaIdentity,
    @Inject(ORDER_SERVICE_CONFIG) private readonly config: OrderServiceConfig,
  ) {}

  /**
   * Issues one number; with an Idempotency-Key, at most one per key and body: the first request
   * reserves the key, issues and stores its answer before sending it, and every later one with
   * the same key and body gets that answer replayed (or waits for it, or gets 409).
   */
  async create(body: unknown, idempotencyKey?: string): Promise<CreateOrderReply<OrderResponse>> {
    const request = parseCreateOrder(body, this.configCenter.get().businessLines);
    // The request's one deadline (DESIGN §6): every wait and backend call below gives up with it.
    const deadline = new RequestDeadline(this.config.REQUEST_TIMEOUT_MS);
    try {
      return await this.createUnder(request, deadline, idempotencyKey);
    } finally {
      deadline.dispose();
    }
  }

  /** `create` once the request has its deadline. */
  private async createUnder(
    request: CreateOrderRequest,
    deadline: RequestDeadline,
    idempotencyKey: string | undefined,
  ): Promise<CreateOrderReply<OrderResponse>> {
    if (idempotencyKey === undefined) return { body: await this.issue(request, deadline), replayed: false };
    const fingerprint = this.idempotency.fingerprint(request);
    for (;;) {
      const claim = await this.idempotency.claim(idempotencyKey, request, deadline.at - Date.now());
      if (claim.kind === 'reserved') {
        let answer: OrderResponse;
        try {
          answer = await this.issue(request, deadline);
        } catch (error) {
          // Nothing was issued under the key: free it so that a retry may issue.
          await claim
            .release()
            .catch((releaseError: Error) => this.logger.warn(`releasing key "${idempotencyKey}": ${releaseError.message}`));
          throw error;
        }
        if (!(await claim.complete(answer))) throw new IdempotencyReservationLostError(idempotencyKey);
        if (this.config.FAULT_KILL_BEFORE_ANSWER) process.kill(process.pid, 'SIGKILL');
        return { body: answer, replayed: false };
      }
      if (claim.entry.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError(idempotencyKey);
      if (claim.entry.state === 'done') return { body: claim.entry.body as OrderResponse, replayed: true };
      if (Date.now() + KEY_POLL_MS >= deadline.at)
        throw new IdempotencyInProgressError(idempotencyKey, Math.max(1, Math.ceil(claim.ttlMs / 1000)));
      await new Promise((resolve) => setTimeout(resolve, KEY_POLL_MS));
    }
  }

  /** The empty handler: the same validation and transport, no order issued (the bench's baseline). */
  baseline(body: unknown): { ok: true; replica: string } {
    parseCreateOrder(body, this.configCenter.get().businessLines);
    return { ok: true, replica: this.identity.id };
  }

  /**
   * Issues under the epoch adopted here. An attempt also stops when a newer epoch is adopted: it
   * must not finish under the old strategy beside the new one (the fence would refuse it anyway;
   * this saves the wait), and the request starts again under the new one.
   */
  private async issue({ businessId }: CreateOrderRequest, deadline: RequestDeadline): Promise<OrderResponse> {
    let atLeast = 0;
    for (;;) {
      const { strategy, epoch } = this.strategies.adoptedNow(atLeast) ?? (await this.strategies.forIssue(deadline.signal, atLeast));
      const superseded = this.strategies.supersededSignal(epoch);
      const attempt = deadline.attempt(epoch, superseded);
      try {
        const issued = await this.history.issue(strategy.name, businessId, () => strategy.next(businessId, attempt));
        // REDIS_WAIT_REPLICAS: not handed out before Redis replicas hold what it was issued against
        // (checked here so that the default, 0, costs the hot path not even an await).
        if (this.replicaAcknowledgement.replicas > 0) await this.replicaAcknowledgement.confirm();
        this.metrics.issued(strategy.name);
        return {
          orderNumber: issued.orderNumber,
          strategy: strategy.name,
          replica: this.identity.id,
          businessId,
          fencingToken: issued.fencingToken ?? null,
          retries: issued.retries,
        };
      } catch (error) {
        // A newer config is in force (here, or already at another replica): start again under it
        // once adopted here. Whatever the attempt given up had taken is a gap, never a duplicate.
        if (!deadline.passed && (superseded.aborted || error instanceof EpochSupersededError)) {
          atLeast = error instanceof EpochSupersededError ? error.highest.epoch : epoch + 1;
          continue;
        }
        this.metrics.failed(strategy.name);
        throw error;
      } finally {
        attempt.dispose();
      }
    }
  }
}
