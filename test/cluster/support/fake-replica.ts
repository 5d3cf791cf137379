import { CreateOrderMessage, CreateOrderReply, RPC_PATTERNS, ZookeeperPaths } from '@app/contracts';
import { Controller, Inject, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload, RpcException, Transport } from '@nestjs/microservices';
import { CreateMode } from 'node-zookeeper-client';
import { ZookeeperSession } from '@app/zookeeper';

/** How the fake answers `orders.create`: like a replica, with an RpcException, or never. */
export type FakeBehaviour = 'ok' | 'reject' | 'hang';

interface FakeState {
  id: string;
  behaviour: FakeBehaviour;
  received: number;
}

const FAKE_STATE = Symbol('FAKE_STATE');

@Controller()
class FakeOrdersController {
  constructor(@Inject(FAKE_STATE) private readonly state: FakeState) {}

  @MessagePattern(RPC_PATTERNS.createOrder)
  async create(@Payload() message: CreateOrderMessage): Promise<CreateOrderReply> {
    this.state.received += 1;
    if (this.state.behaviour === 'reject') {
      throw new RpcException({ statusCode: 422, message: 'businessId: not a registered business line', error: 'Unprocessable Entity' });
    }
    if (this.state.behaviour === 'hang') return new Promise(() => undefined);
    const body = { orderNumber: `${this.state.id}-${this.state.received}`, strategy: 'fake', replica: this.state.id, echo: message.body };
    return { body, replayed: false };
  }

  @MessagePattern(RPC_PATTERNS.baseline)
  baseline(): { ok: true; replica: string } {
    return { ok: true, replica: this.state.id };
  }
}

/**
 * A stand-in for an order-service replica: the same TCP message patterns and registry entry,
 * with a switchable behaviour, so the gateway's forwarding rules can be tested without the real
 * service. `listening: false` registers an address where nothing listens (a crashed replica whose
 * ephemeral node has not expired yet).
 */
export class FakeReplica {
  private readonly state: FakeState;
  private app: INestMicroservice | undefined;

  private constructor(
    readonly id: string,
    readonly tcpPort: number,
    private readonly registryNode: string,
  ) {
    this.state = { id, behaviour: 'ok', received: 0 };
  }

  static async start(options: {
    id: string;
    tcpPort: number;
    session: ZookeeperSession;
    zkRoot: string;
    listening?: boolean;
  }): Promise<FakeReplica> {
    const node = new ZookeeperPaths(options.zkRoot).registryEntry(options.id);
    const fake = new FakeReplica(options.id, options.tcpPort, node);
    if (options.listening !== false) await fake.listen();
    const api = options.session.api();
    await api.mkdirp(new ZookeeperPaths(options.zkRoot).registry);
    const data = { id: options.id, host: '127.0.0.1', httpPort: 1, tcpPort: options.tcpPort, pid: process.pid };
    await api.create(node, Buffer.from(JSON.stringify(data)), CreateMode.EPHEMERAL);
    return fake;
  }

  get received(): number {
    return this.state.received;
  }

  set behaviour(behaviour: FakeBehaviour) {
    this.state.behaviour = behaviour;
  }

  async deregister(session: ZookeeperSession): Promise<void> {
    await session.api().remove(this.registryNode);
  }

  async close(): Promise<void> {
    await this.app?.close();
  }

  private async listen(): Promise<void> {
    @Module({ controllers: [FakeOrdersController], providers: [{ provide: FAKE_STATE, useValue: this.state }] })
    class FakeReplicaModule {}
    this.app = await NestFactory.createMicroservice(FakeReplicaModule, {
      transport: Transport.TCP,
      options: { host: '127.0.0.1', port: this.tcpPort },
      logger: false,
    });
    await this.app.listen();
  }
}
