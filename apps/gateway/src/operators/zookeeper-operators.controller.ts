import { Controller, Get, Headers, Inject, Param, Query } from '@nestjs/common';
import { GatewayConfig } from '@app/contracts';
import { AdminToken } from '../auth/admin-token';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { FourLetterWordRelay, FourLetterWordReplies } from './four-letter-words.service';
import { ZnodeTree, ZnodeTreeReader } from './znode-tree.service';
import { isInsideRoot, parseTreeDepth, parseZnodePath } from './znode-view';

/** Words that tell nothing about clients, sessions, the environment or the server's files: open to all. */
export const OPEN_FOUR_LETTER_WORDS: readonly string[] = ['ruok', 'srvr', 'mntr', 'isro'];

/** What DESIGN §4 promises operators: four-letter-word output of every server, and a read-only tree browser. */
@Controller('zookeeper')
export class ZookeeperOperatorsController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly words: FourLetterWordRelay,
    private readonly tree: ZnodeTreeReader,
    private readonly admin: AdminToken,
  ) {}

  /** `GET /zookeeper/four-letter-words/mntr`: each server's raw reply, or why it gave none. */
  @Get('four-letter-words/:word')
  fourLetterWord(@Param('word') word: string, @Headers('authorization') authorization?: string): Promise<FourLetterWordReplies> {
    if (!OPEN_FOUR_LETTER_WORDS.includes(word)) this.admin.check(authorization, `four-letter word ${word}`);
    return this.words.ask(word);
  }

  /** `GET /zookeeper/tree?path=/ordernum&depth=3`: the subtree under ZK_ROOT unless `path` says otherwise (then with the token). */
  @Get('tree')
  async subtree(
    @Query('path') path: unknown,
    @Query('depth') depth: unknown,
    @Headers('authorization') authorization?: string,
  ): Promise<ZnodeTree> {
    const znode = parseZnodePath(path ?? this.config.ZK_ROOT);
    if (!isInsideRoot(znode, this.config.ZK_ROOT)) this.admin.check(authorization, `reading ${znode}, outside ZK_ROOT`);
    return this.tree.read(znode, parseTreeDepth(depth));
  }
}
