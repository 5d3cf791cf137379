/** What a server's log says about why it did not start. */
export type LogDiagnosis = { kind: 'port-in-use'; port: number | undefined } | { kind: 'config'; detail: string };

// Java and Redis write "Address already in use", Node "EADDRINUSE: address already in use 127.0.0.1:PORT".
const ADDRESS_IN_USE = /address already in use/i;
// ZooKeeper logs the address it binds just before the BindException; Redis names it on the same line.
const BOUND_ADDRESS = /(?:127\.0\.0\.1|0\.0\.0\.0|localhost):(\d{1,5})\b/;

/**
 * Recognises the failures we can explain better than "it exited" in ZooKeeper, Redis and MariaDB logs:
 * a port taken by someone else, and a configuration the server rejected.
 */
export function diagnoseLog(log: string): LogDiagnosis | undefined {
  const lines = log.split('\n');
  const inUse = lines.findIndex((line) => ADDRESS_IN_USE.test(line));
  if (inUse >= 0) {
    for (let i = inUse; i >= Math.max(0, inUse - 5); i--) {
      const match = BOUND_ADDRESS.exec(lines[i]);
      if (match) return { kind: 'port-in-use', port: Number(match[1]) };
    }
    return { kind: 'port-in-use', port: undefined };
  }
  const configException = lines.findIndex((line) => line.includes('ConfigException'));
  if (configException >= 0) {
    const causes = lines.slice(configException + 1).filter((line) => line.startsWith('Caused by:'));
    return { kind: 'config', detail: [lines[configException], ...causes].map((line) => line.trim()).join(' / ') };
  }
  const redisFatal = lines.findIndex((line) => line.includes('FATAL CONFIG FILE ERROR'));
  if (redisFatal >= 0) {
    return { kind: 'config', detail: lines.slice(redisFatal + 2, redisFatal + 4).map((line) => line.trim()).join(' / ') };
  }
  // MariaDB names the file it could not create or open (a datadir it may not write, a full disk).
  const mariadbFile = lines.find((line) => /\[ERROR\].*(Can't create\/write|Permission denied|Errcode: 13|Read-only file system)/.test(line));
  if (mariadbFile) return { kind: 'config', detail: mariadbFile.trim() };
  return undefined;
}
