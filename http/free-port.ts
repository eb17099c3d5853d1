import { createConnection, createServer } from 'node:net';

/**
 * A TCP port that was free on `host` a moment ago (the OS picks it), held back from the OS's own picks
 * for about a minute: a connection to it is closed from the listening side first, so the port stays in
 * TIME_WAIT, and Linux does not hand it to another `bind(0)` (the Temporal CLI picks its internal ports
 * that way) while an explicit bind, such as the server's, still succeeds.
 */
export function pickFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.once('connection', (accepted) => {
      accepted.on('error', () => undefined);
      // The side that closes first keeps the TIME_WAIT entry, which is what holds the port.
      accepted.destroy();
    });
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const client = createConnection({ host, port });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        client.destroy();
        server.close(() => resolve(port));
      };
      client.once('close', release);
      client.once('error', release);
      client.resume();
    });
  });
}

/** Whether something accepts TCP connections on host:port. */
export function isPortAcceptingConnections(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const finish = (accepting: boolean) => {
      socket.destroy();
      resolve(accepting);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
