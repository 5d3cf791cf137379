import { JsonSocket } from '@nestjs/microservices';

/**
 * The socket of the gateway–replica RPC at both ends (`socketClass` of the gateway's clients and
 * of the replicas' server): Nest's JsonSocket, except that the messages written in one turn of the
 * event loop leave in one system call instead of one each. On loopback a TCP write also runs the
 * receiving side's stack, and with one write per message those writes were the largest single
 * cost in the profiles of both processes. A message waits at most until the end of the turn.
 */
export class CorkedJsonSocket extends JsonSocket {
  private corked = false;

  override sendMessage(message: unknown, callback?: (error?: unknown) => void): void {
    if (!this.corked) {
      this.corked = true;
      this.netSocket.cork();
      setImmediate(() => {
        this.corked = false;
        this.netSocket.uncork();
      });
    }
    super.sendMessage(message, callback);
  }
}
