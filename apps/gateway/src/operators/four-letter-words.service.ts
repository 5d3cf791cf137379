import { Inject, Injectable } from '@nestjs/common';
import { fourLetterWord, parseConnectString, READ_ONLY_FOUR_LETTER_WORDS } from '@app/zookeeper';
import { GatewayConfig } from '@app/contracts';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { DisallowedFourLetterWordError } from './operator.errors';

// The operator waits for the slowest server: one that hangs must not hold the answer longer than this.
const WORD_TIMEOUT_MS = 2000;

export type ServerReply = { server: string; reply: string } | { server: string; error: string };

export interface FourLetterWordReplies {
  word: string;
  servers: ServerReply[];
}

/** Relays a read-only four-letter word to every server of the gateway's connect string, in parallel. */
@Injectable()
export class FourLetterWordRelay {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  async ask(word: string): Promise<FourLetterWordReplies> {
    if (!(READ_ONLY_FOUR_LETTER_WORDS as readonly string[]).includes(word)) {
      throw new DisallowedFourLetterWordError(word, READ_ONLY_FOUR_LETTER_WORDS);
    }
    const servers = await Promise.all(
      parseConnectString(this.config.ZK_CONNECT).map(async ({ host, port }): Promise<ServerReply> => {
        const server = `${host}:${port}`;
        try {
          return { server, reply: await fourLetterWord(host, port, word, WORD_TIMEOUT_MS) };
        } catch (error) {
          return { server, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    return { word, servers };
  }
}
