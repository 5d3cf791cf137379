/// <reference lib="dom" />
import { authHeaders } from './token';

export interface EventStream {
  close(): void;
}

/**
 * Server-sent events with the operator token: `EventSource` cannot send an Authorization header,
 * so with a token the stream is read through fetch. Without one, plain `EventSource` (it reconnects
 * by itself).
 */
export function openEventStream(url: string, onData: (data: string) => void): EventStream {
  const headers = authHeaders();
  if (headers.authorization === undefined) {
    const source = new EventSource(url);
    source.onmessage = (event: MessageEvent<string>) => onData(event.data);
    return source;
  }
  const abort = new AbortController();
  void read(url, headers, abort.signal, onData).catch((error: Error) => {
    if (!abort.signal.aborted) onData(JSON.stringify({ error: error.message }));
  });
  return { close: () => abort.abort() };
}

async function read(url: string, headers: Record<string, string>, signal: AbortSignal, onData: (data: string) => void): Promise<void> {
  const response = await fetch(url, { headers, signal });
  if (!response.ok || response.body === null) throw new Error(`${response.status}: ${response.statusText}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    // One event per blank line; its `data:` lines joined, as EventSource does.
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart());
      if (data.length > 0) onData(data.join('\n'));
    }
  }
}
