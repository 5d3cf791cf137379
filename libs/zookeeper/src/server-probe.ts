import { parseConnectString } from './connect-string';
import { fourLetterWord, parseSrvr } from './four-letter-words';

/** One server of a connect string as `srvr` found it. */
export interface ServerProbe {
  server: string;
  /** The `Mode:` line of `srvr`; absent when the server did not answer or is not serving. */
  mode?: string;
  error?: string;
}

/**
 * `srvr` on every server of `connect`, each within `timeoutMs`: a server serves when it prints a
 * `Mode:` line (`ruok` answers `imok` before it serves). Both apps' `/health` report this.
 */
export function probeServers(connect: string, timeoutMs: number): Promise<ServerProbe[]> {
  return Promise.all(
    parseConnectString(connect).map(async ({ host, port }): Promise<ServerProbe> => {
      const server = `${host}:${port}`;
      try {
        const { mode } = parseSrvr(await fourLetterWord(host, port, 'srvr', timeoutMs));
        return mode === undefined ? { server, error: 'not serving (no Mode line)' } : { server, mode };
      } catch (error) {
        return { server, error: (error as Error).message };
      }
    }),
  );
}
