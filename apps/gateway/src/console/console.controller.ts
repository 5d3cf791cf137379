import { Controller, Get, Header, Headers, Inject, MessageEvent, Param, Query, Res, Sse } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catchError, exhaustMap, from, interval, map, Observable, of, startWith } from 'rxjs';
import { GatewayConfig } from '@app/contracts';
import { AdminToken } from '../auth/admin-token';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { isInsideRoot, parseZnodePath } from '../operators/znode-view';
import { ClusterSnapshots } from './cluster-snapshot.service';
import { ConfigDocument, ConfigEditor } from './config-editor.service';
import { CONSOLE_PAGE } from './console-page';
import { ConsoleFileNotFoundError } from './console.errors';
import { ZnodeWatch } from './znode-watch.service';

/** Built by `npm run build` (esbuild) next to the compiled gateway: dist/apps/gateway/console/. */
const ASSETS_DIR = join(__dirname, '..', '..', 'console');
const ASSETS: Record<string, string> = { 'app.js': 'text/javascript; charset=utf-8', 'app.css': 'text/css; charset=utf-8' };
/** Where the bench writes its reports, relative to the working directory as the bench resolves it. */
const REPORTS_DIR = 'bench-results';
const SNAPSHOT_EVERY_MS = 1000;

/** The operator console (DESIGN §4): the page, its assets, the live feeds it reads. Reads only; writes are in OperatorWritesController. */
@Controller()
export class ConsoleController {
  constructor(
    private readonly snapshots: ClusterSnapshots,
    private readonly nodes: ZnodeWatch,
    private readonly config: ConfigEditor,
    private readonly admin: AdminToken,
    @Inject(GATEWAY_CONFIG) private readonly gateway: GatewayConfig,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    return CONSOLE_PAGE;
  }

  @Get('console/assets/:name')
  asset(@Param('name') name: string, @Res({ passthrough: true }) reply: FastifyReply): Buffer {
    const type = ASSETS[name];
    const file = join(ASSETS_DIR, name);
    if (type === undefined || !existsSync(file)) throw new ConsoleFileNotFoundError(`console asset ${name} not found: run npm run build`);
    void reply.header('content-type', type);
    return readFileSync(file);
  }

  /** The live view: a snapshot every second while the page is open; a failed one is reported, not fatal. */
  @Sse('console/events')
  events(): Observable<MessageEvent> {
    return interval(SNAPSHOT_EVERY_MS).pipe(
      startWith(0),
      exhaustMap(() =>
        from(this.snapshots.take()).pipe(catchError((error: Error) => of({ at: new Date().toISOString(), error: error.message }))),
      ),
      map((data) => ({ data })),
    );
  }

  /** `GET /zookeeper/watch?path=...`: the node now and after every change (server-sent events); outside ZK_ROOT with the token. */
  @Sse('zookeeper/watch')
  watch(@Query('path') path: unknown, @Headers('authorization') authorization?: string): Observable<MessageEvent> {
    const znode = parseZnodePath(path);
    if (!isInsideRoot(znode, this.gateway.ZK_ROOT)) this.admin.check(authorization, `watching ${znode}, outside ZK_ROOT`);
    return this.nodes.watch(znode).pipe(map((data) => ({ data })));
  }

  /** The config center's node: data, version (for `If-Match`) and the schema's verdict. */
  @Get('config')
  async readConfig(@Res({ passthrough: true }) reply: FastifyReply): Promise<ConfigDocument> {
    const document = await this.config.read();
    void reply.header('etag', `"${document.version}"`);
    return document;
  }

  /** The HTML reports the bench (and the fault runs) left in bench-results/, the latest bench report first; none yet is `[]`. */
  @Get('console/reports')
  reports(): { reports: string[] } {
    if (!existsSync(REPORTS_DIR)) return { reports: [] };
    return { reports: readdirSync(REPORTS_DIR).filter((name) => name.endsWith('.html')).sort((a, b) => (a === 'report.html' ? -1 : b === 'report.html' ? 1 : a.localeCompare(b))) };
  }

  @Get('console/reports/:name')
  @Header('content-type', 'text/html; charset=utf-8')
  report(@Param('name') name: string): Buffer {
    const file = join(REPORTS_DIR, name);
    if (!/^[\w.-]+\.html$/.test(name) || !existsSync(file)) throw new ConsoleFileNotFoundError(`no report ${name} in ${REPORTS_DIR}/`);
    return readFileSync(file);
  }
}
