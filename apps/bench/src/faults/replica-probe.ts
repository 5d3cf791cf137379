import { FaultNotInjectedError, sleep } from './fault-driver';

const PROBE_MS = 300;
const EVERY_MS = 50;

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/status`, { signal: AbortSignal.timeout(PROBE_MS) });
    return true;
  } catch {
    return false; // silent (frozen, stopped) or refused (dead): not answering either way
  }
}

/** When the replica stopped answering (Date.now() of the first silent probe's start), or undefined if it never did. */
export async function waitFrozen(url: string, withinMs: number): Promise<number | undefined> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    const probedAt = Date.now();
    if (!(await answers(url))) return probedAt;
    await sleep(EVERY_MS);
  }
  return undefined;
}

/**
 * When the replica came back: the start of the last probe it left unanswered (it was still away
 * then, or came back during that probe). Requests queued at it are answered the moment it
 * resumes, before a later probe could see it, so a later time would hide them from the recovery.
 * Throws past `withinMs`.
 */
export async function waitAnswering(url: string, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  let lastSilentAt = Date.now();
  while (Date.now() < deadline) {
    const probedAt = Date.now();
    if (await answers(url)) return lastSilentAt;
    lastSilentAt = probedAt;
    await sleep(EVERY_MS);
  }
  throw new FaultNotInjectedError(`${url} did not answer again within ${withinMs} ms`);
}
