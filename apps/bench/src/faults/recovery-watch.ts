/**
 * Times the target replica's recovery from the load's own answers: the first order it issued
 * after the fault ended (the gateway's answer names the replica that issued it).
 */
export class RecoveryWatch {
  private readonly served: number[] = [];

  constructor(private readonly replica: string) {}

  answer(status: number, body: string): void {
    if (status !== 201) return;
    try {
      if ((JSON.parse(body) as { replica?: unknown }).replica === this.replica) this.served.push(Date.now());
    } catch {
      // a body that is not JSON is the tally's BAD_BODY_KEY, no sign of recovery
    }
  }

  /** Ms from `endedAt` to the target's first order after it, or null if it served none. */
  since(endedAt: number): number | null {
    const first = this.served.find((at) => at >= endedAt);
    return first === undefined ? null : first - endedAt;
  }
}
