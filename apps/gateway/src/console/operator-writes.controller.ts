import { Body, Controller, Delete, Headers, HttpCode, Post, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { AdminOnly } from '../auth/admin-only.decorator';
import { parseZnodePath } from '../operators/znode-view';
import type { ZnodeView } from '@app/contracts';
import { ConfigDocument, ConfigEditor, parseIfMatch } from './config-editor.service';
import { InvalidWriteError } from './console.errors';
import { ZnodeWriter } from './znode-writer.service';

const MAX_WRITE_BYTES = 64 * 1024;

const writeSchema = z
  .object({
    path: z.string(),
    data: z.string().max(MAX_WRITE_BYTES).default(''),
    /** zkCli's version argument; -1 (the default) writes whatever version the node is at. */
    version: z.number().int().min(-1).default(-1),
  })
  .strict();

/**
 * Every write an operator can make through the gateway, in one place, each `@AdminOnly()`: with
 * ADMIN_TOKEN set, none runs without it (DESIGN §4).
 */
@Controller()
export class OperatorWritesController {
  constructor(
    private readonly znodes: ZnodeWriter,
    private readonly config: ConfigEditor,
  ) {}

  /** zkCli `create path data`: persistent only (an ephemeral node would die with the gateway's session). */
  @Post('zookeeper/nodes')
  @AdminOnly()
  @HttpCode(201)
  create(@Body() body: unknown): Promise<ZnodeView> {
    const { path, data } = parseWrite(body);
    return this.znodes.create(path, data);
  }

  /** zkCli `set path data [version]`: 409 naming the current version when `version` is stale. */
  @Put('zookeeper/nodes')
  @AdminOnly()
  set(@Body() body: unknown): Promise<ZnodeView> {
    const { path, data, version } = parseWrite(body);
    return this.znodes.set(path, data, version);
  }

  /** zkCli `delete path [version]`: `DELETE /zookeeper/nodes?path=/ordernum/x&version=2`. */
  @Delete('zookeeper/nodes')
  @AdminOnly()
  @HttpCode(204)
  async delete(@Query('path') path: unknown, @Query('version') version: unknown): Promise<void> {
    await this.znodes.delete(parseZnodePath(path), parseVersion(version));
  }

  /** A JSON merge patch of the runtime config, checked by its schema; `If-Match: <version>` makes it 412 when stale. */
  @Put('config')
  @AdminOnly()
  async patchConfig(
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | string[] | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConfigDocument> {
    const document = await this.config.patch(body, parseIfMatch(ifMatch));
    void reply.header('etag', `"${document.version}"`);
    return document;
  }
}

function parseWrite(body: unknown): z.infer<typeof writeSchema> {
  const result = writeSchema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InvalidWriteError(issue.path.join('.') || 'body', issue.message);
  }
  return { ...result.data, path: parseZnodePath(result.data.path) };
}

function parseVersion(value: unknown): number {
  if (value === undefined) return -1;
  if (typeof value !== 'string' || !/^(-1|\d{1,10})$/.test(value)) throw new InvalidWriteError('version', 'must be an integer, -1 for any');
  return Number(value);
}
