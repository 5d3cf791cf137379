import { Permission } from 'node-zookeeper-client';
import type { ACL } from 'node-zookeeper-client';
import { digestId, nodeAcls, parseZookeeperAuth } from './digest-auth';

/** The library stores the permissions as `permission`; its published types say `perms`. */
const rows = (acls: ACL[]) => acls.map((acl) => [acl.id.scheme, acl.id.id, (acl as unknown as { permission: number }).permission]);

describe('parseZookeeperAuth', () => {
  it('splits on the first colon: the password may hold more', () => {
    expect(parseZookeeperAuth('ordernum:a:b')).toEqual({ user: 'ordernum', password: 'a:b' });
  });

  it.each(['', 'ordernum', ':secret', 'ordernum:'])('refuses %j', (text) => {
    expect(() => parseZookeeperAuth(text)).toThrow(/user:password/);
  });
});

describe('nodeAcls', () => {
  it('gives the digest holder everything and the world read only', () => {
    const sut = nodeAcls({ user: 'ordernum', password: 'secret' });
    expect(rows(sut)).toEqual([
      ['digest', digestId({ user: 'ordernum', password: 'secret' }), Permission.ALL],
      ['world', 'anyone', Permission.READ],
    ]);
  });

  it('is open to the world without credentials', () => {
    expect(rows(nodeAcls(undefined))).toEqual([['world', 'anyone', Permission.ALL]]);
  });

  it('stores the user and a base64 SHA-1 of user:password, never the password', () => {
    const sut = digestId({ user: 'ordernum', password: 'secret' });
    expect(sut).toMatch(/^ordernum:[A-Za-z0-9+/]{27}=$/);
    expect(sut).not.toContain('secret');
  });
});
