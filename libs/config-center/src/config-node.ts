import { CreateMode } from 'node-zookeeper-client';
import { isBadVersion, isNodeExists, isNoNode, ZookeeperSession } from '@app/zookeeper';
import { parseRuntimeConfig, RuntimeConfig } from '@app/contracts';
import { UnavailableError } from '@app/errors';
import { ConfigUsageError, mergePatch, RuntimeConfigPatch } from './config-patch';

/** The node could not be changed for a reason other than the operator's input (exit code 1). */
export class ConfigNodeError extends UnavailableError {
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface NodeValue {
  data: Buffer;
  version: number;
  /** Why the replicas refuse this value, or null when they accept it. */
  refusal: string | null;
}

export interface WriteResult {
  version: number;
  created: boolean;
  written: Buffer;
}

const BAD_VERSION_RETRIES = 10;

/**
 * The config center's node (`<ZK_ROOT>/config/order-service`) as the operator changes it: every
 * write is a compare-and-set on the version just read, so two operators (or the bench's switcher)
 * never overwrite each other's change unseen; a BAD_VERSION answer means read again and re-apply.
 */
export class ConfigNode {
  constructor(
    private readonly session: ZookeeperSession,
    readonly path: string,
  ) {}

  /** The node's bytes and version, or null when it does not exist. */
  async read(): Promise<NodeValue | null> {
    try {
      const { data, stat } = await this.session.api().getData(this.path);
      const bytes = data ?? Buffer.alloc(0);
      const parsed = parseRuntimeConfig(bytes);
      return { data: bytes, version: stat.version, refusal: parsed.ok ? null : parsed.error };
    } catch (error) {
      if (isNoNode(error)) return null;
      throw error;
    }
  }

  /**
   * Applies `patch` to the node, creating it from `seed` first if it is missing (without a seed, a
   * missing node is a `ConfigNodeError`: nobody runs a cluster under that root). Throws
   * `ConfigUsageError` when the result would be refused by the replicas, and writes nothing then.
   */
  async update(patch: RuntimeConfigPatch, seed?: RuntimeConfig): Promise<WriteResult & { config: RuntimeConfig }> {
    let config: RuntimeConfig | undefined;
    const result = await this.compareAndSet(seed, (current) => {
      const merged = mergePatch(current, patch);
      if (!merged.ok) {
        const repair =
          current !== null && parseRuntimeConfig(current).ok
            ? ''
            : '; the node holds a refused value, so give every field, or use reset or set --raw';
        throw new ConfigUsageError(`refused, nothing written: ${merged.error}${repair}`);
      }
      config = merged.config;
      return Buffer.from(JSON.stringify(merged.config));
    });
    return { ...result, config: config as RuntimeConfig };
  }

  /** Replaces the node's content with `config` (the environment's defaults for `reset`). */
  async replace(config: RuntimeConfig): Promise<WriteResult> {
    const data = Buffer.from(JSON.stringify(config));
    return this.compareAndSet(config, () => data);
  }

  /** UNVALIDATED: writes `data` as it is, so that a refused config can be demonstrated. */
  async writeRaw(data: Buffer): Promise<WriteResult> {
    return this.compareAndSet(data, () => data);
  }

  private async compareAndSet(seed: RuntimeConfig | Buffer | undefined, next: (current: Buffer | null) => Buffer): Promise<WriteResult> {
    let created = false;
    for (let attempt = 0; attempt < BAD_VERSION_RETRIES; attempt += 1) {
      const current = await this.read();
      if (current === null) {
        if (seed === undefined)
          throw new ConfigNodeError(`${this.path} does not exist: is a cluster running under that ZK_ROOT?`, this.path);
        // A replica seeded it meanwhile: change theirs.
        if (!(await this.create(Buffer.isBuffer(seed) ? seed : Buffer.from(JSON.stringify(seed))))) continue;
        created = true;
        if (Buffer.isBuffer(seed)) return { version: 0, created, written: seed };
        continue; // created with the seed; the change is applied to it on the next pass
      }
      const data = next(current.data);
      try {
        const stat = await this.session.api().setData(this.path, data, current.version);
        return { version: stat.version, created, written: data };
      } catch (error) {
        if (isBadVersion(error) || isNoNode(error)) continue; // changed or removed since we read it: read again
        throw error;
      }
    }
    throw new ConfigNodeError(`${this.path} kept changing under us (${BAD_VERSION_RETRIES} attempts); nothing written`, this.path);
  }

  /** True when we created the node, false when someone else did first. */
  private async create(data: Buffer): Promise<boolean> {
    const api = this.session.api();
    await api.mkdirp(this.path.slice(0, this.path.lastIndexOf('/')));
    try {
      await api.create(this.path, data, CreateMode.PERSISTENT);
      return true;
    } catch (error) {
      if (isNodeExists(error)) return false;
      throw error;
    }
  }
}
