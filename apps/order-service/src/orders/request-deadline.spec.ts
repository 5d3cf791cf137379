import { RequestDeadline } from './request-deadline';

describe('RequestDeadline', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sets no timer until its signal is asked for', () => {
    const sut = new RequestDeadline(8000);
    sut.attempt(1, new AbortController().signal);
    expect(jest.getTimerCount()).toBe(0);
    sut.dispose();
  });

  it('aborts at its deadline with a TimeoutError, as AbortSignal.timeout does, counted from its creation', () => {
    const sut = new RequestDeadline(8000);
    jest.advanceTimersByTime(3000);
    const { signal } = sut;
    jest.advanceTimersByTime(4999);
    expect(signal.aborted).toBe(false);
    expect(sut.passed).toBe(false);
    jest.advanceTimersByTime(1);
    expect(signal.aborted).toBe(true);
    expect(sut.passed).toBe(true);
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('hands out an already aborted signal once the deadline has passed', () => {
    const sut = new RequestDeadline(8000);
    jest.advanceTimersByTime(8000);
    expect(sut.passed).toBe(true);
    expect(sut.signal.aborted).toBe(true);
  });

  it('never aborts once disposed, and leaves no timer behind', () => {
    const sut = new RequestDeadline(8000);
    const { signal } = sut;
    sut.dispose();
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(10_000);
    expect(signal.aborted).toBe(false);
  });

  it("aborts an attempt's signal at the deadline or when its epoch is superseded, and stops following both when disposed", () => {
    const sut = new RequestDeadline(8000);
    const epochs = new AbortController();
    const first = sut.attempt(3, epochs.signal);
    expect(first.epoch).toBe(3);
    const firstSignal = first.signal;
    epochs.abort(new Error('epoch 4 adopted'));
    expect(firstSignal.aborted).toBe(true);
    first.dispose();

    const second = sut.attempt(4, new AbortController().signal);
    const secondSignal = second.signal;
    jest.advanceTimersByTime(8000);
    expect((secondSignal.reason as DOMException).name).toBe('TimeoutError');

    const disposed = new RequestDeadline(8000).attempt(5, epochs.signal);
    const disposedSignal = disposed.signal;
    disposed.dispose();
    expect(disposedSignal.aborted).toBe(true); // its epoch was already superseded when it was made
  });
});
