import { createHash } from 'node:crypto';
import { ACL, Id, Permission } from 'node-zookeeper-client';

/** ZooKeeper's `digest` scheme credentials (`ZK_AUTH=user:password`). */
export interface ZookeeperAuth {
  user: string;
  password: string;
}

/** `user:password`; the user has no `:` (ZooKeeper splits on the first one), the password is not empty. */
export function parseZookeeperAuth(text: string): ZookeeperAuth {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) throw new RangeError('ZK_AUTH must be user:password (both non-empty)');
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** The id ZooKeeper stores in a digest ACL: `user:base64(sha1(user:password))` (DigestAuthenticationProvider). */
export function digestId(auth: ZookeeperAuth): string {
  const hash = createHash('sha1').update(`${auth.user}:${auth.password}`).digest('base64');
  return `${auth.user}:${hash}`;
}

/**
 * The ACL of every node this project creates: the one place that decides it (DESIGN §4). With
 * credentials, their owner may do everything and anyone else may only read (operators keep
 * zkCli's `ls`/`get`; a stray client can neither delete a lock node nor rewrite the config —
 * deleting a child needs DELETE on its parent, which only the digest holds). Without credentials
 * the tree is open, as the local cluster's default teaches it.
 */
export function nodeAcls(auth: ZookeeperAuth | undefined): ACL[] {
  if (auth === undefined) return [new ACL(Permission.ALL, new Id('world', 'anyone'))];
  return [new ACL(Permission.ALL, new Id('digest', digestId(auth))), new ACL(Permission.READ, new Id('world', 'anyone'))];
}
