import { Inject, Injectable } from '@nestjs/common';
import { Observable } from 'rxjs';
import { isNoNode, ZookeeperSession } from '@app/zookeeper';
import { ZnodeWatchEvent } from '@app/contracts';
import { znodeView } from '../operators/znode-view';


/**
 * A node as it changes, for the console's tree browser: each ZooKeeper watch fires once, so every
 * notification reads the node again and sets the next watch (an `exists` watch while it is gone).
 * ZooKeeper 3.8's client cannot remove a watch; after unsubscribe the next one fires into nothing.
 */
@Injectable()
export class ZnodeWatch {
  constructor(private readonly session: ZookeeperSession) {}

  watch(path: string): Observable<ZnodeWatchEvent> {
    return new Observable<ZnodeWatchEvent>((subscriber) => {
      let closed = false;
      const read = async (): Promise<void> => {
        if (closed) return;
        const api = this.session.api();
        try {
          const { data, stat } = await api.getData(path, () => void read());
          if (!closed) subscriber.next(znodeView(path, data, stat));
        } catch (error) {
          if (closed) return;
          if (!isNoNode(error)) {
            subscriber.next({ path, error: (error as Error).message });
            return;
          }
          subscriber.next({ path, deleted: true });
          // Created again, or created between the failed read and this call: read it again either way.
          const stat = await api.exists(path, () => void read()).catch(() => null);
          if (stat !== null) void read();
        }
      };
      void read();
      return () => {
        closed = true;
      };
    });
  }
}
