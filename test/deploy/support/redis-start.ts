import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Env } from './app-env';

/** One call of redis-cli: the password it sent (REDISCLI_AUTH), where, and the command. */
export interface CliCall {
  auth: string;
  host: string;
  port: number;
  command: string[];
}

/** What a Redis container's shell command did, run on this machine with stand-ins for the servers. */
export interface StubbedRun {
  status: number | null;
  stderr: string;
  /** The arguments it exec'd redis-server with (undefined: it never did); /data paths as in the container. */
  serverArgs: string[] | undefined;
  /** The config file redis-server was given, line by line (a Sentinel's generated config). */
  configLines: string[];
  cliCalls: CliCall[];
}

/** The Redis world the stand-ins pretend: its password, and what each Sentinel (`host:port`) names as primary. */
export interface StubbedRedis {
  password: string;
  primaryNamedBy?: Record<string, { host: string; port: number }>;
}

// redis-cli answers only with the password, as a server with requirepass does; PING gets PONG,
// `sentinel get-master-addr-by-name` the primary this Sentinel names, any other address refuses.
const REDIS_CLI = `#!/bin/sh
printf '%s\\0' "\${REDISCLI_AUTH-}" "$@" > "$(mktemp "$STUB_DIR/calls/XXXXXX")"
host=127.0.0.1 port=6379
while [ $# -gt 0 ]; do
  case "$1" in -h) host=$2; shift 2 ;; -p) port=$2; shift 2 ;; --*) shift ;; *) break ;; esac
done
[ "\${REDISCLI_AUTH-}" = "$STUB_PASSWORD" ] || { echo 'NOAUTH Authentication required.'; exit 1; }
[ "$*" = ping ] && { echo PONG; exit 0; }
[ -f "$STUB_DIR/replies/$host:$port" ] || { echo "Could not connect to Redis at $host:$port" >&2; exit 1; }
cat "$STUB_DIR/replies/$host:$port"
`;

const REDIS_SERVER = `#!/bin/sh
printf '%s\\0' "$@" > "$STUB_DIR/server-args"
[ -f "$1" ] && cp "$1" "$STUB_DIR/server-config"
exit 0
`;

function readNulSeparated(file: string): string[] {
  return readFileSync(file, 'utf8').split('\0').slice(0, -1);
}

function parseCliCall([auth, ...args]: string[]): CliCall {
  const call: CliCall = { auth, host: '127.0.0.1', port: 6379, command: [] };
  for (let index = 0; index < args.length; index += 1) {
    if (args[index] === '-h') call.host = args[++index];
    else if (args[index] === '-p') call.port = Number(args[++index]);
    else if (!args[index].startsWith('--')) return { ...call, command: args.slice(index) };
  }
  return call;
}

/**
 * Runs a container command of the form [sh|bash, -c, script] with `env`, redis-server and
 * redis-cli replaced by recording stand-ins. The container's /data is a temporary directory here.
 */
export function runWithStubbedRedis(command: readonly string[], env: Env, redis: StubbedRedis): StubbedRun {
  const [shell, flag, script] = command;
  if (!['sh', 'bash'].includes(shell) || flag !== '-c' || script === undefined) {
    throw new Error(`expected [sh, -c, script], got ${JSON.stringify(command)}`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'redis-start-'));
  try {
    for (const sub of ['bin', 'calls', 'replies', 'data']) mkdirSync(path.join(dir, sub));
    writeFileSync(path.join(dir, 'bin', 'redis-cli'), REDIS_CLI);
    writeFileSync(path.join(dir, 'bin', 'redis-server'), REDIS_SERVER);
    for (const tool of ['redis-cli', 'redis-server']) chmodSync(path.join(dir, 'bin', tool), 0o755);
    for (const [sentinel, primary] of Object.entries(redis.primaryNamedBy ?? {})) {
      writeFileSync(path.join(dir, 'replies', sentinel), `${primary.host}\n${primary.port}\n`);
    }
    const dataDir = `${path.join(dir, 'data')}/`;
    const run = spawnSync(shell, ['-c', script.replaceAll('/data/', dataDir)], {
      encoding: 'utf8',
      env: { ...env, PATH: `${path.join(dir, 'bin')}:${process.env.PATH ?? ''}`, STUB_DIR: dir, STUB_PASSWORD: redis.password },
      timeout: 30_000,
    });
    const argsFile = path.join(dir, 'server-args');
    const configFile = path.join(dir, 'server-config');
    return {
      status: run.status,
      stderr: run.stderr,
      serverArgs: existsSync(argsFile) ? readNulSeparated(argsFile).map((arg) => arg.replaceAll(dataDir, '/data/')) : undefined,
      configLines: existsSync(configFile) ? readFileSync(configFile, 'utf8').split('\n').filter((line) => line !== '') : [],
      cliCalls: readdirSync(path.join(dir, 'calls')).map((file) => parseCliCall(readNulSeparated(path.join(dir, 'calls', file)))),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
