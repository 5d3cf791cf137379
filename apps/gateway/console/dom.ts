/// <reference lib="dom" />
import { authHeaders } from './token';

type Child = Node | string | number | null | undefined | false;

/** A tiny element builder: `h('td', { class: 'num' }, 42)`. Strings become text, never HTML. */
export function h(tag: string, attrs: Record<string, string | ((event: Event) => void)> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') element.addEventListener(name, value);
    else element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) parent.append(child instanceof Node ? child : String(child));
  }
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

export function pretty(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** fetch with the operator token (when one is set) and the gateway's JSON errors turned into an Error carrying the message. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  // No content type without a body: Fastify refuses an empty body declared as JSON.
  const type: Record<string, string> = init.body === undefined ? {} : { 'content-type': 'application/json' };
  const headers = { ...type, ...authHeaders(), ...(init.headers as Record<string, string> | undefined) };
  const response = await fetch(path, { ...init, headers });
  if (response.status === 204) return undefined as T;
  const body = (await response.json()) as T & { message?: unknown; statusCode?: number };
  if (!response.ok) throw new Error(`${response.status}: ${String(body.message ?? response.statusText)}`);
  return body;
}
