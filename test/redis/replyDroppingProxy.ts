import { Socket, createConnection, createServer } from 'node:net';

// A TCP proxy in front of a test's redis-server that can lose a reply on the wire: the command
// reaches Redis and runs, its reply is thrown away and the client's connection cut, as a network
// failure at the worst moment would. A SIGKILL hits that moment only by luck; this hits it every
// time, so the client's re-send of a command that already ran is tested for certain.

export interface ReplyDroppingProxy {
  port: number;
  /** Throws away the next reply Redis sends and cuts that client's connection; resolves once done. */
  dropNextReply(): Promise<void>;
  close(): Promise<void>;
}

export async function startReplyDroppingProxy(redisPort: number): Promise<ReplyDroppingProxy> {
  const sockets = new Set<Socket>();
  let dropping: (() => void) | undefined;
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: redisPort });
    sockets.add(client).add(upstream);
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (data) => upstream.write(data));
    upstream.on('data', (data) => {
      if (dropping) {
        const done = dropping;
        dropping = undefined;
        cut();
        done();
      } else {
        client.write(data);
      }
    });
    for (const socket of [client, upstream]) {
      socket.on('error', cut);
      socket.on('close', () => {
        sockets.delete(socket);
        cut();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    dropNextReply: () => new Promise<void>((resolve) => (dropping = resolve)),
    close: async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
