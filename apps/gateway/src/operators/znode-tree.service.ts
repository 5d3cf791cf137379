import { Inject, Injectable } from '@nestjs/common';
import { isNoNode, ZookeeperOps, ZookeeperSession } from '@app/zookeeper';
import { ZnodeNotFoundError } from './operator.errors';
import { ZnodeView } from '@app/contracts';
import { childPath, znodeView } from './znode-view';

/** Enough for this project's layout with a few hundred pool or lock nodes; beyond it the answer says `truncated`. */
export const MAX_TREE_NODES = 500;

export type ZnodeTree = ZnodeView & { truncated?: true };

/**
 * Reads a subtree for the tree browser, level by level so that the node budget goes to the
 * shallow nodes first, with each level's reads in parallel (one pipelined connection). Every read
 * has the session's deadline; a ZooKeeper that does not answer fails the whole request (503).
 */
@Injectable()
export class ZnodeTreeReader {
  constructor(private readonly session: ZookeeperSession) {}

  async read(path: string, depth: number): Promise<ZnodeTree> {
    const api = this.session.api();
    const root = await this.node(api, path);
    if (root === undefined) throw new ZnodeNotFoundError(path);
    let budget = MAX_TREE_NODES - 1;
    let truncated = false;
    let level: ZnodeView[] = [root];
    for (let remaining = depth; remaining > 0 && level.length > 0; remaining--) {
      const parents = level.filter((node) => node.stat.numChildren > 0);
      if (parents.length > 0 && budget <= 0) {
        truncated = true;
        break;
      }
      const listed = await Promise.all(parents.map((parent) => this.children(api, parent.path)));
      const taken = listed.map((names) => {
        const kept = names.slice(0, Math.max(0, budget));
        if (kept.length < names.length) truncated = true;
        budget -= kept.length;
        return kept;
      });
      // One Promise.all over every read of the level: a failure anywhere rejects once, never unhandled.
      const read = await Promise.all(
        parents.map((parent, index) => Promise.all(taken[index].map((name) => this.node(api, childPath(parent.path, name))))),
      );
      for (const node of level) node.children = [];
      level = [];
      for (const [index, parent] of parents.entries()) {
        // Over the budget: left unexpanded, like a node at the depth limit.
        if (taken[index].length === 0 && listed[index].length > 0) delete parent.children;
        // A child deleted between the listing and the read is left out: it is gone.
        else parent.children = read[index].filter((child): child is ZnodeView => child !== undefined);
        level.push(...(parent.children ?? []));
      }
    }
    return truncated ? { ...root, truncated: true } : root;
  }

  /** undefined when the node does not exist (any more). */
  private async node(api: ZookeeperOps, path: string): Promise<ZnodeView | undefined> {
    try {
      const { data, stat } = await api.getData(path);
      return znodeView(path, data, stat);
    } catch (error) {
      if (isNoNode(error)) return undefined;
      throw error;
    }
  }

  /** Sorted, so that the same tree reads the same way twice; none when the node has gone. */
  private async children(api: ZookeeperOps, path: string): Promise<string[]> {
    try {
      return (await api.getChildren(path)).sort();
    } catch (error) {
      if (isNoNode(error)) return [];
      throw error;
    }
  }
}
