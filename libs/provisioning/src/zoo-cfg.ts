/** One server of an ensemble, as every member's zoo.cfg lists it. */
export interface QuorumMember {
  id: number;
  clientPort: number;
  peerPort: number;
  electionPort: number;
}

export interface ZooCfgOptions {
  dataDir: string;
  clientPort: number;
  /** Default 500 ms, so that session timeouts from 1 s (2 ticks) to 10 s (20 ticks) are accepted. */
  tickTimeMs?: number;
  /** Absent for a standalone server. */
  members?: readonly QuorumMember[];
  /** Extra zoo.cfg keys (e.g. forceSync=no); they override the defaults above them. */
  settings?: Readonly<Record<string, string | number>>;
}

export const DEFAULT_TICK_TIME_MS = 500;

/** The zoo.cfg for one server; pure so that it can be checked without starting Java. */
export function renderZooCfg(options: ZooCfgOptions): string {
  const tick = options.tickTimeMs ?? DEFAULT_TICK_TIME_MS;
  const settings: Record<string, string | number> = {
    tickTime: tick,
    minSessionTimeout: 2 * tick,
    maxSessionTimeout: 20 * tick,
    // In ticks: followers get 5 s (at 500 ms) to sync with a new leader, 2.5 s to stay in step.
    initLimit: 10,
    syncLimit: 5,
    dataDir: options.dataDir,
    clientPort: options.clientPort,
    clientPortAddress: '127.0.0.1',
    // The admin server listens on 8080 for every server: several would collide.
    'admin.enableServer': 'false',
    '4lw.commands.whitelist': '*',
    maxClientCnxns: 0,
    ...options.settings,
  };
  for (const [key, value] of Object.entries(settings)) {
    if (/[\r\n]/.test(`${key}${value}`)) throw new RangeError(`zoo.cfg setting ${key} contains a line break`);
  }
  const lines = Object.entries(settings).map(([key, value]) => `${key}=${value}`);
  for (const member of options.members ?? []) {
    lines.push(`server.${member.id}=127.0.0.1:${member.peerPort}:${member.electionPort}`);
  }
  return `${lines.join('\n')}\n`;
}
