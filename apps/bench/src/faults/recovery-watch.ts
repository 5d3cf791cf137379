/**
 * Times the target replica's recovery from the load's own answers: once the fault ended, the
 * first order it issued for each business line of the load (the gateway's answer names the
 * replica and the line). Every line counts: a fault can leave one line blocked (a lock node left
 * behind) while the others are served.
 */
export class RecoveryWatch {
  private readonly served: { at: number; businessId: unknown }[] = [];

  constructor(
    private readonly replica: string,
    private readonly businessIds: readonly number[],
  ) {}

  answer(status: number, body: string): void {
    if (status !== 201) return;
    try {
      const order = JSON.parse(body) as { replica?: unknown; businessId?: unknown };
      if (order.replica === this.replica) this.served.push({ at: Date.now(), businessId: order.businessId });
    } catch {
      // a body that is not JSON is the tally's BAD_BODY_KEY, no sign of recovery
    }
  }

  /** Ms from `endedAt` until the target had issued for every business line after it, or null if some line got nothing. */
  since(endedAt: number): number | null {
    let last = endedAt;
    for (const businessId of this.businessIds) {
      const first = this.served.find((order) => order.at >= endedAt && order.businessId === businessId);
      if (first === undefined) return null;
      last = Math.max(last, first.at);
    }
    return last - endedAt;
  }
}
