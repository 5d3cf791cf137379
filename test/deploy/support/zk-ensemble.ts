/** Shared reading of the ZooKeeper settings that docker-compose.yml and k8s/ both carry. */

export interface HostPort {
  host: string;
  port: number;
}

/** `a:2181,b:2181` (a ZK_CONNECT value) → its members. */
export function parseConnectString(connect: string): HostPort[] {
  return connect.split(',').map((member) => {
    const [host, port] = member.trim().split(':');
    return { host, port: Number(port) };
  });
}

export interface ZooServer {
  id: number;
  host: string;
  clientPort: number;
}

/** The official image's ZOO_SERVERS: `server.1=zk1:2888:3888;2181 server.2=...`. */
export function parseZooServers(value: string): ZooServer[] {
  return value.trim().split(/\s+/).map((entry) => {
    const match = /^server\.(\d+)=([^:]+):\d+:\d+(?::\w+)?;(\d+)$/.exec(entry);
    if (!match) throw new Error(`not a server.N=host:peer:election;client entry: ${entry}`);
    return { id: Number(match[1]), host: match[2], clientPort: Number(match[3]) };
  });
}

/** The four-letter words that /health and operators use (DESIGN §4). */
export const REQUIRED_FOUR_LETTER_WORDS = ['srvr', 'ruok', 'stat', 'mntr', 'cons', 'wchs'];

export function missingFourLetterWords(whitelist: string): string[] {
  const allowed = whitelist.split(',').map((word) => word.trim());
  if (allowed.includes('*')) return [];
  return REQUIRED_FOUR_LETTER_WORDS.filter((word) => !allowed.includes(word));
}

/** A readiness check that proves serving: `srvr` shows a Mode line; `ruok` answers too early. */
export function provesServing(command: string): boolean {
  return /\bsrvr\b/.test(command) && command.includes('Mode:') && !/\bruok\b/.test(command);
}
