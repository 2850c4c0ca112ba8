import { Server, Socket, createConnection, createServer } from 'node:net';

// A TCP proxy in front of a test redis-server whose cable a test can pull: cut() drops every
// connection through it and refuses new ones (one client goes offline while others, connected
// directly, stay online); mend() lets clients through again.

export interface CuttableProxy {
  port: number;
  cut(): void;
  mend(): void;
  close(): Promise<void>;
}

export async function startCuttableProxy(targetPort: number): Promise<CuttableProxy> {
  const sockets = new Set<Socket>();
  let open = true;
  const server: Server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        (socket === client ? upstream : client).destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') {
    throw new Error('the proxy has no port');
  }
  const dropAll = (): void => sockets.forEach((socket) => socket.destroy());
  return {
    port: address.port,
    cut: () => {
      open = false;
      dropAll();
    },
    mend: () => {
      open = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
