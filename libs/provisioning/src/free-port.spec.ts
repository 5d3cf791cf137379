import { createServer } from 'node:net';
import { PortInUseError } from './errors';
import { assertPortFree, freePorts } from './free-port';

describe('freePorts', () => {
  it('returns distinct ports that can be listened on', async () => {
    const sut = await freePorts(9);
    expect(new Set(sut).size).toBe(9);
    await Promise.all(sut.map((port) => assertPortFree(port, 'test')));
  });
});

describe('assertPortFree', () => {
  it('names the service and the port when something listens there', async () => {
    const [port] = await freePorts(1);
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const error = await assertPortFree(port, 'Redis').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect(error).toMatchObject({ service: 'Redis', port });
      expect((error as Error).message).toBe(`Redis: port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});
