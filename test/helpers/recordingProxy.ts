import { Server, Socket, createConnection, createServer } from 'node:net';

// A TCP proxy in front of a test redis-server that records the commands clients send through it, so a
// test can see exactly what a client sends on connect — including commands the server rejects, which
// MONITOR never shows.

export interface RecordingProxy {
  port: number;
  /** Each command's name, lower case; for CLIENT, CLUSTER and the like with its subcommand. */
  commands(): string[];
  /** How many bytes the server has sent back to clients through the proxy. */
  repliedBytes(): number;
  close(): Promise<void>;
}

const WITH_SUBCOMMAND = new Set(['client', 'cluster', 'config', 'acl', 'sentinel', 'script', 'function']);

/** Splits a RESP stream from a client into commands (arrays of bulk strings); a partial tail is left. */
function parseCommands(stream: string): string[][] {
  const commands: string[][] = [];
  let at = 0;
  for (;;) {
    const header = /^\*(\d+)\r\n/.exec(stream.slice(at));
    if (!header) {
      return commands;
    }
    let cursor = at + header[0].length;
    const args: string[] = [];
    for (let index = 0; index < Number(header[1]); index++) {
      const bulk = /^\$(\d+)\r\n/.exec(stream.slice(cursor));
      if (!bulk || stream.length < cursor + bulk[0].length + Number(bulk[1]) + 2) {
        return commands;
      }
      cursor += bulk[0].length;
      args.push(stream.slice(cursor, cursor + Number(bulk[1])));
      cursor += Number(bulk[1]) + 2;
    }
    commands.push(args);
    at = cursor;
  }
}

export async function startRecordingProxy(targetPort: number): Promise<RecordingProxy> {
  const streams: string[] = [];
  const sockets = new Set<Socket>();
  let replied = 0;
  const server: Server = createServer((client) => {
    const index = streams.push('') - 1;
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => (socket === client ? upstream : client).destroy());
    }
    client.on('data', (chunk: Buffer) => (streams[index] += chunk.toString('latin1')));
    upstream.on('data', (chunk: Buffer) => (replied += chunk.length));
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    commands: () =>
      streams.flatMap(parseCommands).map((args) => {
        const name = args[0].toLowerCase();
        return WITH_SUBCOMMAND.has(name) && args[1] ? `${name} ${args[1].toLowerCase()}` : name;
      }),
    repliedBytes: () => replied,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
}
