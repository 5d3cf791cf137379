/// <reference lib="dom" />
import { api, byId, h, pretty, replace } from './dom';

// READ_ONLY_FOUR_LETTER_WORDS of @app/zookeeper (the page cannot import Node code); the gateway refuses any other.
const WORDS = ['srvr', 'stat', 'mntr', 'cons', 'wchs', 'wchc', 'wchp', 'conf', 'envi', 'ruok', 'dirs', 'isro', 'dump', 'reqs'];

interface Decoded {
  orderNumber: string;
  time: { digits: string; iso: string; note: string };
  businessId: number;
  suffix: { digits: string; ledgerSequence: number; snowflake: { workerId: number; sequence: number } };
}

interface ConfigDocument {
  path: string;
  version: number;
  data: unknown;
  valid: { ok: boolean; error?: string };
}

/** Decode a number, the four-letter words, the config editor and the reports: each reads or writes through the gateway's own endpoints. */
export function mountTools(): void {
  byId('decode-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void decode(byId<HTMLInputElement>('decode-input').value.trim());
  });
  const select = byId<HTMLSelectElement>('word');
  select.replaceChildren(...WORDS.map((word) => h('option', { value: word }, word)));
  byId('word-button').addEventListener('click', () => void fourLetterWord(select.value));
  byId('config-button').addEventListener('click', () => void saveConfig());
  void loadConfig();
  void loadReports();
}

async function decode(orderNumber: string): Promise<void> {
  const out = byId('decode-result');
  try {
    const parts = await api<Decoded>(`/orders/${encodeURIComponent(orderNumber)}/decode`);
    const row = (name: string, value: string) => h('tr', {}, h('th', {}, name), h('td', {}, value));
    replace(
      out,
      h(
        'table',
        {},
        row('time (UTC)', `${parts.time.iso}  (${parts.time.digits})`),
        row('', parts.time.note),
        row('business line', String(parts.businessId).padStart(4, '0')),
        row('suffix as a ledger sequence', `${parts.suffix.ledgerSequence} (locked strategies, redis-pregen)`),
        row('suffix as snowflake', `worker ${String(parts.suffix.snowflake.workerId).padStart(2, '0')}, sequence ${parts.suffix.snowflake.sequence}`),
      ),
      h('p', { class: 'note' }, 'The digits alone do not say which family issued the number.'),
    );
  } catch (error) {
    replace(out, h('span', { class: 'bad' }, (error as Error).message));
  }
}

async function fourLetterWord(word: string): Promise<void> {
  const out = byId('word-result');
  try {
    const { servers } = await api<{ servers: { server: string; reply?: string; error?: string }[] }>(`/zookeeper/four-letter-words/${word}`);
    replace(out, ...servers.map((server) => h('div', {}, h('h4', {}, server.server), h('pre', {}, server.reply ?? `error: ${server.error}`))));
  } catch (error) {
    replace(out, h('span', { class: 'bad' }, (error as Error).message));
  }
}

let configVersion: number | undefined;

async function loadConfig(): Promise<void> {
  try {
    const document = await api<ConfigDocument>('/config');
    configVersion = document.version;
    byId<HTMLTextAreaElement>('config-editor').value = pretty(document.data);
    replace(byId('config-state'), `${document.path}, version ${document.version}`, document.valid.ok ? '' : h('span', { class: 'bad' }, ` · refused by the schema: ${document.valid.error}`));
  } catch (error) {
    replace(byId('config-state'), h('span', { class: 'bad' }, (error as Error).message));
  }
}

/** The whole edited document is sent as a merge patch, compare-and-set on the version loaded: a stale one gets 412. */
async function saveConfig(): Promise<void> {
  let patch: unknown;
  try {
    patch = JSON.parse(byId<HTMLTextAreaElement>('config-editor').value);
  } catch (error) {
    replace(byId('config-result'), h('span', { class: 'bad' }, `not JSON: ${(error as Error).message}`));
    return;
  }
  try {
    const headers: Record<string, string> = configVersion === undefined ? {} : { 'if-match': String(configVersion) };
    const document = await api<ConfigDocument>('/config', { method: 'PUT', body: JSON.stringify(patch), headers });
    replace(byId('config-result'), `saved: version ${document.version}`);
    await loadConfig();
  } catch (error) {
    replace(byId('config-result'), h('span', { class: 'bad' }, (error as Error).message));
  }
}

async function loadReports(): Promise<void> {
  const { reports } = await api<{ reports: string[] }>('/console/reports');
  replace(byId('reports'), ...(reports.length === 0 ? ['none yet (npm run bench writes bench-results/report.html)'] : reports.map((name) => h('li', {}, h('a', { href: `/console/reports/${encodeURIComponent(name)}`, target: '_blank' }, name)))));
}
