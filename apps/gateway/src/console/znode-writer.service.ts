import { Inject, Injectable } from '@nestjs/common';
import { CreateMode, Exception } from 'node-zookeeper-client';
import { isBadVersion, isNoAuth, isNodeExists, isNoNode, ZookeeperOperationError, ZookeeperSession } from '@app/zookeeper';
import { GatewayConfig, ZnodeView } from '@app/contracts';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { ZnodeNotFoundError } from '../operators/operator.errors';
import { znodeView } from '../operators/znode-view';
import { OutsideRootError, ZnodeAclError, ZnodeConflictError } from './console.errors';

/**
 * zkCli's `create`, `set` and `delete` for the console, limited to the gateway's ZK_ROOT (the
 * root itself is not writable: deleting it would take the cluster's state with it). A version
 * of -1 means "whatever it is", as in zkCli; any other version is checked by ZooKeeper itself.
 */
@Injectable()
export class ZnodeWriter {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly session: ZookeeperSession,
  ) {}

  async create(path: string, data: string): Promise<ZnodeView> {
    this.checkInside(path);
    try {
      await this.session.api().create(path, Buffer.from(data), CreateMode.PERSISTENT);
    } catch (error) {
      if (isNodeExists(error)) throw new ZnodeConflictError(path, 'already exists');
      if (isNoAuth(error)) throw new ZnodeAclError(path);
      if (isNoNode(error)) throw new ZnodeNotFoundError(path.slice(0, path.lastIndexOf('/')) || '/', { cause: error });
      throw error;
    }
    return this.read(path);
  }

  async set(path: string, data: string, version: number): Promise<ZnodeView> {
    this.checkInside(path);
    try {
      await this.session.api().setData(path, Buffer.from(data), version);
    } catch (error) {
      throw await this.translate(path, version, error);
    }
    return this.read(path);
  }

  async delete(path: string, version: number): Promise<void> {
    this.checkInside(path);
    try {
      await this.session.api().remove(path, version);
    } catch (error) {
      if (error instanceof ZookeeperOperationError && error.code === Exception.NOT_EMPTY) throw new ZnodeConflictError(path, 'has children: delete them first');
      throw await this.translate(path, version, error);
    }
  }

  private async translate(path: string, version: number, error: unknown): Promise<unknown> {
    if (isNoNode(error)) return new ZnodeNotFoundError(path, { cause: error });
    if (isNoAuth(error)) return new ZnodeAclError(path);
    if (!isBadVersion(error)) return error;
    const current = await this.session.api().exists(path);
    return new ZnodeConflictError(path, `version ${version} is stale`, current?.version);
  }

  private async read(path: string): Promise<ZnodeView> {
    const { data, stat } = await this.session.api().getData(path);
    return znodeView(path, data, stat);
  }

  private checkInside(path: string): void {
    if (!path.startsWith(`${this.config.ZK_ROOT}/`)) throw new OutsideRootError(path, this.config.ZK_ROOT);
  }
}
