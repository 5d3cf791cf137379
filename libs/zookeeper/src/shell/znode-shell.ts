import { CreateMode } from 'node-zookeeper-client';
import { ForbiddenError } from '@app/errors';
import { isNoNode } from '../errors';
import { ZookeeperOps } from '../zookeeper-ops';
import { ZnodeStat, znodeStat } from './znode-stat';

/** A write the shell refuses: outside the project's root, without `--force`. */
export class WriteOutsideRootError extends ForbiddenError {
  constructor(
    readonly path: string,
    readonly root: string,
  ) {
    super(`refusing to write ${path}: it is outside ZK_ROOT ${root} (add --force to do it anyway)`);
  }
}

export interface CreateFlags {
  ephemeral?: boolean;
  sequential?: boolean;
}

/**
 * zkCli's verbs (`ls`, `ls -R`, `stat`/`ls2`, `get`, `create`, `set`, `delete`, `deleteall`) over
 * one session, returning data rather than printing it. Writes are kept under `root` unless
 * `force`: an operator's slip must not rewrite another application's nodes.
 */
export class ZnodeShell {
  constructor(
    private readonly api: () => ZookeeperOps,
    private readonly root: string,
    private readonly force = false,
  ) {}

  async ls(path: string): Promise<string[]> {
    return (await this.api().getChildren(path)).sort();
  }

  /** Every path under `path` (itself first), breadth-first as zkCli's `ls -R` prints them. */
  async lsRecursive(path: string): Promise<string[]> {
    const found: string[] = [];
    let level = [path];
    while (level.length > 0) {
      found.push(...level);
      const next: string[] = [];
      for (const parent of level) {
        try {
          for (const child of await this.ls(parent)) next.push(childPath(parent, child));
        } catch (error) {
          if (!isNoNode(error)) throw error; // deleted while we walked: nothing below it
        }
      }
      level = next;
    }
    return found;
  }

  async stat(path: string): Promise<ZnodeStat> {
    return znodeStat((await this.api().getData(path)).stat);
  }

  async get(path: string): Promise<{ data: string | null; stat: ZnodeStat }> {
    const { data, stat } = await this.api().getData(path);
    return { data: data?.length ? data.toString('utf8') : null, stat: znodeStat(stat) };
  }

  /** Returns the created path (with its sequence suffix when sequential). */
  async create(path: string, data: string | undefined, flags: CreateFlags = {}): Promise<string> {
    this.assertWritable(path);
    const mode = flags.ephemeral
      ? flags.sequential ? CreateMode.EPHEMERAL_SEQUENTIAL : CreateMode.EPHEMERAL
      : flags.sequential ? CreateMode.PERSISTENT_SEQUENTIAL : CreateMode.PERSISTENT;
    return this.api().create(path, Buffer.from(data ?? '', 'utf8'), mode);
  }

  /** `version` -1 (the default) sets whatever the version; any other must match, else BAD_VERSION. */
  async set(path: string, data: string, version = -1): Promise<ZnodeStat> {
    this.assertWritable(path);
    return znodeStat(await this.api().setData(path, Buffer.from(data, 'utf8'), version));
  }

  async delete(path: string, version = -1): Promise<void> {
    this.assertWritable(path);
    await this.api().remove(path, version);
  }

  /** The node and everything under it, deepest first; nodes that vanish meanwhile are fine. */
  async deleteAll(path: string): Promise<number> {
    this.assertWritable(path);
    const paths = await this.lsRecursive(path);
    let deleted = 0;
    for (const node of paths.reverse()) {
      try {
        await this.api().remove(node);
        deleted += 1;
      } catch (error) {
        if (!isNoNode(error)) throw error; // gone already: what deleteall wants
      }
    }
    return deleted;
  }

  private assertWritable(path: string): void {
    const inside = path === this.root || path.startsWith(`${this.root}/`);
    if (!inside && !this.force) throw new WriteOutsideRootError(path, this.root);
  }
}

export function childPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}
