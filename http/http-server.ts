import { createServer, type RequestListener } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';

export interface HttpServerOptions {
  /** Answers each request, e.g. a Hono app's `app.fetch`. */
  fetch: (request: Request) => Response | Promise<Response>;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** Serve HTTPS with this certificate and private key (PEM). @default plain HTTP */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export interface RunningHttpServer {
  /** e.g. `http://127.0.0.1:8787` (`https://` with TLS), an IPv6 host in brackets, without a trailing slash. */
  origin: string;
  /** The port listened on (the one picked when asked for 0). */
  port: number;
  /**
   * Stops listening and cuts every open connection, requests still held open included; resolves once
   * closed. Calling it again returns the same promise.
   */
  close(): Promise<void>;
  /**
   * Stops listening, lets the requests in progress finish for up to `graceMs`, then closes as `close()`
   * does; resolves once closed.
   */
  drain(options: { graceMs: number }): Promise<void>;
}

/** Serves `fetch` over HTTP/1.1 on `host:port`; rejects when it cannot listen (e.g. the port is taken). */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const listener: RequestListener = getRequestListener(
    (request) => options.fetch(request.body === null ? request : toNativeRequest(request)),
    {
      // Replacing the global Request and Response would make every `fetch()` result in the process
      // fail `instanceof Response`.
      overrideGlobalObjects: false,
    },
  );
  const server = options.tls
    ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, listener)
    : createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Requests held open never end by themselves: cut them rather than wait.
      server.closeAllConnections();
    });
    return closed;
  };
  return {
    origin: `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    close,
    async drain({ graceMs }) {
      if (closed) return closed;
      const finished = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections would hold `close` open; those serving a request end with it.
      server.closeIdleConnections();
      const idleCloser = setInterval(() => server.closeIdleConnections(), 100);
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([finished, graceOver]);
      clearInterval(idleCloser);
      clearTimeout(timer);
      closed ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        void finished.then(resolve);
      });
      return closed;
    },
  };
}

/**
 * The adapter's request as a Node `Request`. With the globals left alone, the adapter hands routes a
 * lightweight stand-in that `new Request(request, { body })` rejects (`Cannot read private member
 * #state`), as Hono's body limit does with a body sent without `Content-Length`.
 */
function toNativeRequest(request: Request): Request {
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
    duplex: 'half',
  });
}
