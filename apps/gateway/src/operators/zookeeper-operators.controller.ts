import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { GatewayConfig } from '@app/contracts';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { FourLetterWordRelay, FourLetterWordReplies } from './four-letter-words.service';
import { ZnodeTree, ZnodeTreeReader } from './znode-tree.service';
import { parseTreeDepth, parseZnodePath } from './znode-view';

/** What DESIGN §4 promises operators: four-letter-word output of every server, and a read-only tree browser. */
@Controller('zookeeper')
export class ZookeeperOperatorsController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly words: FourLetterWordRelay,
    private readonly tree: ZnodeTreeReader,
  ) {}

  /** `GET /zookeeper/four-letter-words/mntr`: each server's raw reply, or why it gave none. */
  @Get('four-letter-words/:word')
  fourLetterWord(@Param('word') word: string): Promise<FourLetterWordReplies> {
    return this.words.ask(word);
  }

  /** `GET /zookeeper/tree?path=/ordernum&depth=3`: the subtree under ZK_ROOT unless `path` says otherwise. */
  @Get('tree')
  async subtree(@Query('path') path: unknown, @Query('depth') depth: unknown): Promise<ZnodeTree> {
    return this.tree.read(parseZnodePath(path ?? this.config.ZK_ROOT), parseTreeDepth(depth));
  }
}
