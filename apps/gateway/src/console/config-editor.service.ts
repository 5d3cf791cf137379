import { Inject, Injectable } from '@nestjs/common';
import { isBadVersion, isNoNode, ZookeeperSession } from '@app/zookeeper';
import { GatewayConfig, parseRuntimeConfig, RuntimeConfig, ZookeeperPaths } from '@app/contracts';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { ZnodeNotFoundError } from '../operators/operator.errors';
import { ConfigVersionMismatchError, InvalidWriteError } from './console.errors';
import { applyMergePatch } from './merge-patch';

export interface ConfigDocument {
  path: string;
  version: number;
  /** What the node holds, parsed as JSON when it is JSON. */
  data: unknown;
  /** The schema's verdict: the config the replicas apply, or why they refuse it. */
  valid: { ok: true; config: RuntimeConfig } | { ok: false; error: string };
}

/**
 * The config center's node read and written for people: a write is a JSON merge patch, checked by
 * the replicas' own schema before it is written (so an invalid config never reaches them) and
 * written compare-and-set on the version read, or on the version the caller names (`If-Match`).
 */
@Injectable()
export class ConfigEditor {
  readonly path: string;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly session: ZookeeperSession,
  ) {
    this.path = new ZookeeperPaths(config.ZK_ROOT).config;
  }

  async read(): Promise<ConfigDocument> {
    let node: { data: Buffer | null; stat: { version: number } };
    try {
      node = await this.session.api().getData(this.path);
    } catch (error) {
      if (isNoNode(error)) throw new ZnodeNotFoundError(this.path, { cause: error });
      throw error;
    }
    const bytes = node.data ?? Buffer.alloc(0);
    return { path: this.path, version: node.stat.version, data: jsonOrText(bytes.toString('utf8')), valid: parseRuntimeConfig(bytes) };
  }

  async patch(patch: unknown, ifMatch: number | undefined): Promise<ConfigDocument> {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new InvalidWriteError('body', 'must be a JSON object (a merge patch)');
    const current = await this.read();
    if (ifMatch !== undefined && ifMatch !== current.version) throw new ConfigVersionMismatchError(ifMatch, current.version);
    const next = Buffer.from(JSON.stringify(applyMergePatch(current.data, patch)));
    const verdict = parseRuntimeConfig(next);
    if (!verdict.ok) throw new InvalidWriteError('config', verdict.error, 422);
    try {
      await this.session.api().setData(this.path, next, current.version);
    } catch (error) {
      if (!isBadVersion(error)) throw error;
      // Written by someone else between our read and our write.
      throw new ConfigVersionMismatchError(ifMatch ?? current.version, (await this.session.api().exists(this.path))?.version);
    }
    return this.read();
  }
}

/** `If-Match: 3` or `If-Match: "3"` (an ETag as this gateway sends it); absent means "the version read". */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^\s*(?:W\/)?"?(\d{1,10})"?\s*$/.exec(value ?? '');
  if (!match) throw new InvalidWriteError('If-Match', `must be the config node's version, like 3 or "3" (got ${JSON.stringify(value)})`);
  return Number(match[1]);
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // an operator wrote something that is not JSON: shown as it is, refused by the schema
  }
}
