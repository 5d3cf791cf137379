import { linkSignals } from './linked-signal';

describe('linkSignals', () => {
  it('aborts with the first source to abort, and its reason', () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = linkSignals(a.signal, b.signal);
    expect(linked.signal.aborted).toBe(false);
    b.abort(new Error('b went'));
    expect(linked.signal.aborted).toBe(true);
    expect((linked.signal.reason as Error).message).toBe('b went');
    a.abort(new Error('a went later'));
    expect((linked.signal.reason as Error).message).toBe('b went');
  });

  it('starts aborted when a source already is', () => {
    const linked = linkSignals(new AbortController().signal, AbortSignal.abort(new Error('gone')));
    expect(linked.signal.aborted).toBe(true);
    expect((linked.signal.reason as Error).message).toBe('gone');
  });

  it('follows the sources no longer once disposed', () => {
    const source = new AbortController();
    const linked = linkSignals(source.signal);
    linked.dispose();
    source.abort();
    expect(linked.signal.aborted).toBe(false);
  });

  it('leaves no listener on a long-lived source once disposed', () => {
    const longLived = new AbortController();
    let listeners = 0;
    const add = longLived.signal.addEventListener.bind(longLived.signal);
    const remove = longLived.signal.removeEventListener.bind(longLived.signal);
    longLived.signal.addEventListener = (...args: Parameters<typeof add>) => {
      listeners += 1;
      add(...args);
    };
    longLived.signal.removeEventListener = (...args: Parameters<typeof remove>) => {
      listeners -= 1;
      remove(...args);
    };
    for (let i = 0; i < 100_000; i += 1) linkSignals(longLived.signal, new AbortController().signal).dispose();
    expect(listeners).toBe(0);
  });
});
