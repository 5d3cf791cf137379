import { abortable, sleep } from './wait';

describe('sleep', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('resolves after its time', async () => {
    let done = false;
    const slept = sleep(1000).then(() => (done = true));

    await jest.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await slept;
    expect(done).toBe(true);
  });

  it('gives up its timer when its signal aborts, so that a wait given up holds nothing for the rest of it', async () => {
    const request = new AbortController();
    const wait = abortable(sleep(60_000, request.signal), request.signal, () => new Error('deadline'));
    expect(jest.getTimerCount()).toBe(1);

    request.abort();

    await expect(wait).rejects.toThrow('deadline');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('sets no timer for a signal aborted already', async () => {
    await sleep(60_000, AbortSignal.abort());
    expect(jest.getTimerCount()).toBe(0);
  });
});
