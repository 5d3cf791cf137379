/// <reference lib="dom" />
import { byId } from './dom';

/** Per tab, gone with it: the token is never written to localStorage or a cookie. */
const KEY = 'ordernum.adminToken';

/** The operator token the person typed into the header field, or undefined. */
export function adminToken(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

/** `Authorization: Bearer <token>` when there is a token: what every operator call sends. */
export function authHeaders(): Record<string, string> {
  const token = adminToken();
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

/** The header's token field: its value is kept in sessionStorage as it is typed (an open gateway needs none). */
export function mountTokenField(): void {
  const field = byId<HTMLInputElement>('admin-token');
  field.value = adminToken() ?? '';
  field.addEventListener('input', () => {
    const value = field.value.trim();
    if (value === '') sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, value);
  });
}
