import { RedisUnavailableError } from './redis-client';
import { ReplicaAcknowledgement } from './replica-acknowledgement';

/** A WAIT whose answers the test gives, one per command sent, in order. */
function scriptedWait() {
  const sent: Array<{ resolve: (acknowledged: number) => void; reject: (error: Error) => void }> = [];
  const wait = () => new Promise<number>((resolve, reject) => sent.push({ resolve, reject }));
  return { sent, wait };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ReplicaAcknowledgement', () => {
  it('sends nothing when no replica is asked for', async () => {
    const { sent, wait } = scriptedWait();
    await new ReplicaAcknowledgement(wait, 0, 100).confirm();
    expect(sent).toHaveLength(0);
  });

  it('answers every caller that asked while a WAIT was out with the one WAIT sent after them', async () => {
    const { sent, wait } = scriptedWait();
    const sut = new ReplicaAcknowledgement(wait, 1, 100);
    const first = sut.confirm();
    const later = [sut.confirm(), sut.confirm(), sut.confirm()];
    await flush();
    expect(sent).toHaveLength(1); // the later callers' writes may postdate the WAIT already out

    sent[0].resolve(1);
    await first;
    await flush();
    expect(sent).toHaveLength(2);
    sent[1].resolve(1);
    await Promise.all(later);
    expect(sent).toHaveLength(2);
  });

  it('refuses, naming REDIS_WAIT_REPLICAS, when fewer replicas acknowledged, and sends a fresh WAIT for the next caller', async () => {
    const { sent, wait } = scriptedWait();
    const sut = new ReplicaAcknowledgement(wait, 2, 100);
    const refused = sut.confirm();
    sent[0].resolve(1);
    await expect(refused).rejects.toThrow(new RedisUnavailableError('1 of the 2 Redis replicas REDIS_WAIT_REPLICAS asks for acknowledged the write within 100 ms'));

    const next = sut.confirm();
    await flush();
    expect(sent).toHaveLength(2);
    sent[1].resolve(2);
    await expect(next).resolves.toBeUndefined();
  });

  it('turns a failed WAIT into RedisUnavailableError for its callers, and the queued ones still get their own WAIT', async () => {
    const { sent, wait } = scriptedWait();
    const sut = new ReplicaAcknowledgement(wait, 1, 100);
    const failing = sut.confirm();
    const queued = sut.confirm();
    sent[0].reject(new Error('Connection is closed.'));
    await expect(failing).rejects.toBeInstanceOf(RedisUnavailableError);
    await flush();
    sent[1].resolve(1);
    await expect(queued).resolves.toBeUndefined();
  });
});
