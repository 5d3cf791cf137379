import { IssueContext } from '@app/order-numbers';
import { LinkedSignal, linkSignals } from '@app/zookeeper';

/**
 * A request's one deadline (DESIGN §6), whose signal is made only when something asks for it. An
 * order served from memory (a leased snowflake worker, a prefetched pool or segment) never waits
 * and never asks: an AbortController with its timer, and a second one linked to the epoch for
 * each attempt, were an eighth of a replica's CPU per order in a profile of such a strategy.
 */
export class RequestDeadline {
  /** Epoch milliseconds. */
  readonly at: number;
  private controller?: AbortController;
  private timer?: NodeJS.Timeout;

  constructor(private readonly ms: number) {
    this.at = Date.now() + ms;
  }

  /** Aborted at `at` with a `TimeoutError`, as `AbortSignal.timeout` is (on a timer `dispose()` clears). */
  get signal(): AbortSignal {
    if (!this.controller) {
      const controller = new AbortController();
      const abort = () => controller.abort(new DOMException(`deadline of ${this.ms} ms passed`, 'TimeoutError'));
      const left = this.at - Date.now();
      if (left > 0) this.timer = setTimeout(abort, left);
      else abort();
      this.controller = controller;
    }
    return this.controller.signal;
  }

  get passed(): boolean {
    return this.controller?.signal.aborted === true || Date.now() >= this.at;
  }

  /** What a strategy issues under: `epoch`, and a signal aborted at this deadline or once `superseded` is. */
  attempt(epoch: number, superseded: AbortSignal): Attempt {
    return new Attempt(this, epoch, superseded);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

/** One attempt of a request under one epoch; its linked signal, too, is made on first use. */
export class Attempt implements IssueContext {
  private linked?: LinkedSignal;

  constructor(
    private readonly deadline: RequestDeadline,
    readonly epoch: number,
    private readonly superseded: AbortSignal,
  ) {}

  get signal(): AbortSignal {
    this.linked ??= linkSignals(this.deadline.signal, this.superseded);
    return this.linked.signal;
  }

  /** Stops following the deadline and the epoch. */
  dispose(): void {
    this.linked?.dispose();
  }
}
