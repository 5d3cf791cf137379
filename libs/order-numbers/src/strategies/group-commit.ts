import { IssueContext, IssuedNumber } from './order-number-strategy';

/** A request waiting in its business line's queue for a place in the next batch. */
export interface Waiter {
  readonly context: IssueContext;
  /** Attempts of this request that were refused and started over (stale token, lost lease). */
  retries: number;
  resolve(issued: IssuedNumber): void;
  reject(error: unknown): void;
}

/**
 * Issues one batch: acquires the lock under the head's deadline, calls `take()` once the lock is
 * held, and settles every waiter taken (a number, a place back in the queue, or an error). It
 * throws only when it took nobody (the lock was not acquired): the head then gets that error.
 */
export type IssueBatch = (businessId: number, head: Waiter, take: () => Waiter[]) => Promise<void>;

/**
 * Group commit per business line: the requests that arrive while one of them waits for the lock,
 * or holds it, are served together by the next critical section, up to `maxBatch()` at a time.
 * Only one batch per business line is under way in a replica; the queue's oldest request (the
 * head) acquires the lock under its own deadline, and the batch is taken from the queue once the
 * lock is held, so it includes everyone who arrived meanwhile.
 *
 * A request whose deadline passes while it waits in the queue leaves it with `onDeadline`.
 * `issueBatch` settles every waiter it is given (a number, a retry in the queue, or an error).
 */
export class GroupCommit {
  private readonly queues = new Map<number, Waiter[]>();

  constructor(
    private readonly issueBatch: IssueBatch,
    private readonly maxBatch: () => number,
    private readonly onDeadline: (businessId: number, context: IssueContext) => Error,
  ) {}

  /** Queues a request for `businessId`; settles with its number or its error. */
  join(businessId: number, context: IssueContext): Promise<IssuedNumber> {
    return new Promise<IssuedNumber>((resolve, reject) => {
      if (context.signal.aborted) return reject(this.onDeadline(businessId, context));
      const waiter: Waiter = { context, retries: 0, resolve, reject };
      let queue = this.queues.get(businessId);
      const idle = !queue;
      if (!queue) this.queues.set(businessId, (queue = []));
      queue.push(waiter);
      const leave = () => {
        const at = queue.indexOf(waiter);
        if (at < 0) return; // already taken into a batch: the batch settles it
        queue.splice(at, 1);
        reject(this.onDeadline(businessId, context));
      };
      context.signal.addEventListener('abort', leave, { once: true });
      waiter.resolve = (issued) => {
        context.signal.removeEventListener('abort', leave);
        resolve(issued);
      };
      waiter.reject = (error) => {
        context.signal.removeEventListener('abort', leave);
        reject(error);
      };
      if (idle) void this.drain(businessId, queue);
    });
  }

  /** Puts refused waiters back at the front, in their order, for the next batch. */
  requeue(businessId: number, waiters: readonly Waiter[]): void {
    const queue = this.queues.get(businessId);
    if (!queue) throw new Error(`no queue for business line ${businessId} while its batch runs`);
    queue.unshift(...waiters);
  }

  private async drain(businessId: number, queue: Waiter[]): Promise<void> {
    try {
      while (queue.length > 0) {
        const head = queue[0];
        // Taken under the lock: everyone of the head's epoch who is queued by then, oldest first.
        const take = () => {
          const batch: Waiter[] = [];
          const max = Math.max(1, this.maxBatch());
          for (let i = 0; i < queue.length && batch.length < max; ) {
            const waiter = queue[i];
            if (waiter.context.epoch === head.context.epoch && !waiter.context.signal.aborted) {
              batch.push(waiter);
              queue.splice(i, 1);
            } else {
              i += 1;
            }
          }
          return batch;
        };
        try {
          await this.issueBatch(businessId, head, take);
        } catch (error) {
          // Nobody was taken: the head's lock wait failed (a head whose deadline passed has left already).
          const at = queue.indexOf(head);
          if (at >= 0) {
            queue.splice(at, 1);
            head.reject(error);
          }
        }
      }
    } finally {
      this.queues.delete(businessId);
    }
  }
}
