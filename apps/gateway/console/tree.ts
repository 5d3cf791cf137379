/// <reference lib="dom" />
import { api, byId, h, pretty, replace } from './dom';
import { EventStream, openEventStream } from './event-stream';
import type { ZnodeWatchEvent, ZnodeStatView, ZnodeView } from '@app/contracts';

const STAT_FIELDS: (keyof ZnodeStatView)[] = ['czxid', 'mzxid', 'pzxid', 'ctime', 'mtime', 'version', 'cversion', 'aversion', 'ephemeralOwner', 'dataLength', 'numChildren'];

function nameOf(path: string): string {
  return path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1);
}

function parentOf(path: string): string {
  return path.lastIndexOf('/') <= 0 ? '/' : path.slice(0, path.lastIndexOf('/'));
}

/** Like ZooInspector: expand nodes one level at a time, select one to see its data and stat, watched live. */
export class TreeBrowser {
  private watch?: EventStream;
  private selected?: string;

  async mount(): Promise<void> {
    byId('create-button').addEventListener('click', () => void this.write('POST', byId<HTMLInputElement>('create-path').value, byId<HTMLTextAreaElement>('create-data').value));
    byId('set-button').addEventListener('click', () => void this.write('PUT', this.selected, byId<HTMLTextAreaElement>('set-data').value, Number(byId<HTMLInputElement>('set-version').value)));
    byId('delete-button').addEventListener('click', () => void this.remove());
    const root = await api<ZnodeView>('/zookeeper/tree?depth=0');
    replace(byId('tree'), this.row(root));
  }

  private row(node: ZnodeView): HTMLElement {
    const children = h('ul');
    const toggle = h('button', { class: 'toggle', title: 'expand' }, node.stat.numChildren > 0 ? '▸' : '·');
    const item = h('li', { 'data-path': node.path }, toggle, h('a', { href: '#', class: 'name' }, nameOf(node.path)), h('small', {}, node.stat.numChildren > 0 ? ` (${node.stat.numChildren})` : ''), children);
    toggle.addEventListener('click', () => void this.toggle(node.path, toggle, children));
    item.querySelector('a')?.addEventListener('click', (event) => {
      event.preventDefault();
      this.select(node.path);
    });
    return item;
  }

  private async toggle(path: string, toggle: HTMLElement, children: HTMLElement): Promise<void> {
    if (children.childElementCount > 0) {
      children.replaceChildren();
      toggle.textContent = '▸';
      return;
    }
    const node = await api<ZnodeView>(`/zookeeper/tree?path=${encodeURIComponent(path)}&depth=1`);
    replace(children, ...(node.children ?? []).map((child) => this.row(child)));
    toggle.textContent = node.children?.length ? '▾' : '·';
  }

  /** Lists an expanded node's children again after a write under it; a collapsed one is left so. */
  private async refresh(path: string): Promise<void> {
    const children = document.querySelector(`li[data-path="${CSS.escape(path)}"] > ul`);
    if (!children || children.childElementCount === 0) return;
    const node = await api<ZnodeView>(`/zookeeper/tree?path=${encodeURIComponent(path)}&depth=1`);
    replace(children, ...(node.children ?? []).map((child) => this.row(child)));
  }

  /** Shows the node and follows it through /zookeeper/watch until another is selected. */
  private select(path: string): void {
    this.selected = path;
    this.watch?.close();
    replace(byId('node-path'), path);
    byId<HTMLInputElement>('create-path').value = `${path === '/' ? '' : path}/`;
    this.watch = openEventStream(`/zookeeper/watch?path=${encodeURIComponent(path)}`, (data) => this.show(JSON.parse(data) as ZnodeWatchEvent));
  }

  private show(node: ZnodeWatchEvent): void {
    if ('deleted' in node || 'error' in node) {
      replace(byId('node-data'), 'deleted' in node ? '(deleted)' : `error: ${node.error}`);
      replace(byId('node-stat'));
      return;
    }
    replace(byId('node-data'), node.data === null ? '(no data)' : pretty(node.data), node.dataTruncated ? '\n… (cut)' : '');
    replace(byId('node-stat'), ...STAT_FIELDS.map((field) => h('tr', { 'data-field': field }, h('th', {}, field), h('td', {}, String(node.stat[field] ?? 'none')))));
    replace(byId('node-updated'), `read ${new Date().toLocaleTimeString()}`);
    byId<HTMLTextAreaElement>('set-data').value = node.data === null ? '' : typeof node.data === 'string' ? node.data : JSON.stringify(node.data);
    byId<HTMLInputElement>('set-version').value = String(node.stat.version);
  }

  private async write(method: 'POST' | 'PUT', path: string | undefined, data: string, version?: number): Promise<void> {
    if (path === undefined) return;
    try {
      const node = await api<ZnodeView>('/zookeeper/nodes', { method, body: JSON.stringify({ path, data, ...(version === undefined ? {} : { version }) }) });
      replace(byId('write-result'), `${method === 'POST' ? 'created' : 'set'} ${node.path}, version ${node.stat.version}`);
      if (method === 'POST') {
        this.select(node.path);
        await this.refresh(parentOf(node.path));
      }
    } catch (error) {
      replace(byId('write-result'), h('span', { class: 'bad' }, (error as Error).message));
    }
  }

  private async remove(): Promise<void> {
    const path = this.selected;
    if (path === undefined) return;
    try {
      await api<void>(`/zookeeper/nodes?path=${encodeURIComponent(path)}&version=${byId<HTMLInputElement>('set-version').value}`, { method: 'DELETE' });
      replace(byId('write-result'), `deleted ${path}`);
      this.select(parentOf(path));
      await this.refresh(parentOf(path));
    } catch (error) {
      replace(byId('write-result'), h('span', { class: 'bad' }, (error as Error).message));
    }
  }
}
