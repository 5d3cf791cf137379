import { diagnoseLog } from './log-diagnosis';

describe('diagnoseLog', () => {
  it('finds the port ZooKeeper was binding when it hit "Address already in use"', () => {
    const log = [
      '[main] INFO org.apache.zookeeper.server.NIOServerCnxnFactory - binding to port /127.0.0.1:22190',
      '[main] ERROR org.apache.zookeeper.server.ZooKeeperServerMain - Unexpected exception, exiting abnormally',
      'java.net.BindException: Address already in use',
      '\tat java.base/sun.nio.ch.Net.bind0(Native Method)',
    ].join('\n');
    expect(diagnoseLog(log)).toEqual({ kind: 'port-in-use', port: 22190 });
  });

  it('finds the port Redis names on its bind failure line', () => {
    const log =
      '5301:M 25 Nov 2026 17:58:46.475 # Warning: Could not create server TCP listening socket 127.0.0.1:22191: bind: Address already in use\n';
    expect(diagnoseLog(log)).toEqual({ kind: 'port-in-use', port: 22191 });
  });

  it('finds the port a Node app could not listen on', () => {
    const log = 'order-service failed to start: Error: listen EADDRINUSE: address already in use 127.0.0.1:43379\n';
    expect(diagnoseLog(log)).toEqual({ kind: 'port-in-use', port: 43379 });
  });

  it('reports port-in-use without a port when the log names none', () => {
    expect(diagnoseLog('java.net.BindException: Address already in use\n')).toEqual({ kind: 'port-in-use', port: undefined });
  });

  it('surfaces a ZooKeeper ConfigException with its cause', () => {
    const log = [
      '[main] ERROR org.apache.zookeeper.server.quorum.QuorumPeerMain - Invalid config, exiting abnormally',
      'org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /tmp/zkt/bad.cfg',
      '\tat org.apache.zookeeper.server.quorum.QuorumPeerConfig.parse(QuorumPeerConfig.java:198)',
      'Caused by: java.lang.NumberFormatException: For input string: "abc"',
    ].join('\n');
    const sut = diagnoseLog(log);
    expect(sut?.kind).toBe('config');
    expect(sut?.kind === 'config' && sut.detail).toBe(
      'org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /tmp/zkt/bad.cfg / ' +
        'Caused by: java.lang.NumberFormatException: For input string: "abc"',
    );
  });

  it('surfaces a Redis fatal configuration error', () => {
    const log =
      "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'port \"abc\"'\nargument couldn't be parsed into an integer\n";
    expect(diagnoseLog(log)).toEqual({ kind: 'config', detail: `>>> 'port "abc"' / argument couldn't be parsed into an integer` });
  });

  it('says nothing about a healthy log', () => {
    expect(diagnoseLog('[main] INFO ... binding to port /127.0.0.1:2181\n[main] INFO ... started\n')).toBeUndefined();
  });

  it("surfaces MariaDB's line about a file it could not create", () => {
    const log = [
      '2026-12-02 13:40:01 0 [Note] Starting MariaDB 10.11.14-MariaDB source revision as process 4242',
      "2026-12-02 13:40:01 0 [ERROR] mariadbd: Can't create/write to file '/srv/db/data/aria_log_control' (Errcode: 13 \"Permission denied\")",
    ].join('\n');
    expect(diagnoseLog(log)).toEqual({ kind: 'config', detail: expect.stringContaining("Can't create/write to file") });
  });
});
