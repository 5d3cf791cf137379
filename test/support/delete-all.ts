import { isNoNode, isNotEmpty, ZookeeperOps } from '@app/zookeeper';

/**
 * What an operator's `zkCli.sh deleteall <path>` does: the whole subtree, children first. Nodes
 * that users of the tree create meanwhile make a delete fail with NOT_EMPTY; like an operator
 * trying again, it goes on until the path itself has been deleted once.
 */
export async function deleteAll(api: ZookeeperOps, path: string): Promise<void> {
  for (;;) {
    try {
      await deleteTree(api, path);
      return;
    } catch (error) {
      if (isNoNode(error)) return;
      if (!isNotEmpty(error)) throw error;
    }
  }
}

async function deleteTree(api: ZookeeperOps, path: string): Promise<void> {
  let children: string[];
  try {
    children = await api.getChildren(path);
  } catch (error) {
    if (isNoNode(error)) return;
    throw error;
  }
  await Promise.all(children.map((child) => deleteTree(api, `${path}/${child}`).catch((error: unknown) => {
    if (!isNoNode(error)) throw error;
  })));
  await api.remove(path);
}
