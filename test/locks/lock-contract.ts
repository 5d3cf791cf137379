import { DistributedLock, Lease, LockTimeoutError } from '@app/locks';

export interface LockContenders {
  /** Two locks that stand for two processes: separate clients / sessions on the same server. */
  first: DistributedLock;
  second: DistributedLock;
  /** Whether the lock hands out growing fencing tokens. */
  fencing: boolean;
}

/** Runs `count` contenders spread over the locks at once; returns the most that ever held together. */
export async function contend(
  locks: DistributedLock[],
  resource: string,
  count: number,
): Promise<{ maxHolders: number; tokens: Array<number | undefined> }> {
  let holders = 0;
  let maxHolders = 0;
  const tokens: Array<number | undefined> = [];
  await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const lease = await locks[index % locks.length].acquire(resource, { waitMs: 30000, ttlMs: 5000 });
      holders += 1;
      maxHolders = Math.max(maxHolders, holders);
      tokens.push(lease.token);
      // Hold across real I/O waits, so that an unguarded overlap would show.
      await new Promise((resolve) => setTimeout(resolve, 2));
      holders -= 1;
      await lease.release();
    }),
  );
  return { maxHolders, tokens };
}

/**
 * The contract every real lock must keep (Curator's abstract lock test, in spirit): exclusion
 * under real concurrency across clients, growing tokens, release only by the owner, timeouts
 * that leave nothing behind.
 */
export function describeLockContract(name: string, setup: () => Promise<LockContenders>): void {
  describe(`${name} lock contract`, () => {
    let sut: LockContenders;
    let resource = 0;
    const nextResource = () => `resource-${++resource}`;

    beforeAll(async () => {
      sut = await setup();
    });

    it('lets one holder in at a time under real concurrency across two clients', async () => {
      const { maxHolders, tokens } = await contend([sut.first, sut.second], nextResource(), 60);
      expect(tokens).toHaveLength(60);
      expect(maxHolders).toBe(1);
    });

    it('hands out fencing tokens that grow with every acquisition', async () => {
      if (!sut.fencing) return expect(sut.fencing).toBe(false);
      const { tokens } = await contend([sut.first, sut.second], nextResource(), 20);
      const inOrder = tokens as number[];
      for (let i = 1; i < inOrder.length; i += 1) expect(inOrder[i]).toBeGreaterThan(inOrder[i - 1]);
    });

    it('times out a waiter while another holds, and the timed-out waiter leaves nothing behind', async () => {
      const key = nextResource();
      const held = await sut.first.acquire(key, { waitMs: 1000, ttlMs: 10000 });
      const started = Date.now();
      await expect(sut.second.acquire(key, { waitMs: 300, ttlMs: 10000 })).rejects.toBeInstanceOf(LockTimeoutError);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      await held.release();
      const next = await sut.second.acquire(key, { waitMs: 2000, ttlMs: 10000 });
      await next.release();
    });

    it('wakes a waiter when the holder releases', async () => {
      const key = nextResource();
      const held = await sut.first.acquire(key, { waitMs: 1000, ttlMs: 10000 });
      const waiting = sut.second.acquire(key, { waitMs: 5000, ttlMs: 10000 });
      let acquired: Lease | undefined;
      void waiting.then((lease) => (acquired = lease));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(acquired).toBeUndefined();
      await held.release();
      const lease = await waiting;
      expect(lease.resource).toBe(key);
      await lease.release();
    });

    it('lets only the owner release: a second release by the old holder does not free the new holder', async () => {
      const key = nextResource();
      const old = await sut.first.acquire(key, { waitMs: 1000, ttlMs: 10000 });
      await old.release();
      const current = await sut.second.acquire(key, { waitMs: 1000, ttlMs: 10000 });
      await old.release();
      await expect(sut.first.acquire(key, { waitMs: 200, ttlMs: 10000 })).rejects.toBeInstanceOf(LockTimeoutError);
      await current.release();
    });
  });
}
