import { timingSafeEqual, createHash } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { Logger } from 'pino';

export interface CodecServerAppOptions {
  /** The codecs to run, in encoding order (as a `DataConverter`'s `payloadCodecs`). */
  codecs: PayloadCodec[];
  /**
   * The token a request must carry as `Authorization: Bearer <token>`. `undefined` lets every request
   * through: only for a server on loopback, for the local dev server's Web UI.
   */
  token: string | undefined;
  /** Browser origins allowed to call (the Web UI's, e.g. `http://127.0.0.1:8233`). @default none */
  allowedOrigins?: string[];
  /** The largest request body. @default 32 MiB (a history of many 2 MB payloads) */
  maxBodyBytes?: number;
  logger?: Logger;
}

/**
 * Temporal's remote codec protocol: `POST /encode` and `POST /decode` take and answer
 * `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }`, as the Web UI (`codec endpoint`) and the
 * `temporal` CLI (`--codec-endpoint`, `--codec-auth`) call them. Payloads encrypted with a key this
 * server lacks are returned unchanged. Serve with `startHttpServer({ fetch: app.fetch })`.
 */
export function createCodecServerApp(options: CodecServerAppOptions): Hono {
  const app = new Hono();
  const allowedOrigins = options.allowedOrigins ?? [];
  app.use(
    '*',
    cors({
      origin: (origin) => (allowedOrigins.includes(origin) ? origin : null),
      allowMethods: ['POST', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'X-Namespace', 'Authorization'],
      credentials: true,
      maxAge: 600,
    }),
  );
  app.get('/healthz', (context) => context.json({ status: 'ok' }));
  app.use('*', async (context, next) => {
    if (options.token !== undefined && !carriesToken(context.req.header('authorization'), options.token)) {
      return codecError(context, 401, 'missing or wrong Authorization: Bearer token');
    }
    await next();
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: options.maxBodyBytes ?? 32 * 1024 * 1024,
      onError: (context) => codecError(context, 413, 'request body too large'),
    }),
  );
  for (const direction of ['encode', 'decode'] as const) {
    app.post(`/${direction}`, async (context) => {
      let payloads: Payload[];
      try {
        payloads = readPayloads(await context.req.json());
      } catch (error) {
        return codecError(context, 400, `the body must be JSON {"payloads": [...]}: ${(error as Error).message}`);
      }
      try {
        const result = await runCodecs(options.codecs, direction, payloads);
        return context.json({ payloads: result.map(writePayload) });
      } catch (error) {
        options.logger?.warn({ err: error, direction, namespace: context.req.header('x-namespace') }, 'codec failed');
        return codecError(context, 400, (error as Error).message);
      }
    });
    app.all(`/${direction}`, (context) => codecError(context, 405, `/${direction} accepts POST only`));
  }
  app.notFound((context) => codecError(context, 404, `no route ${context.req.method} ${context.req.path}`));
  return app;
}

async function runCodecs(codecs: PayloadCodec[], direction: 'encode' | 'decode', payloads: Payload[]) {
  let result = payloads;
  if (direction === 'encode') for (const codec of codecs) result = await codec.encode(result);
  else for (const codec of [...codecs].reverse()) result = await codec.decode(result);
  return result;
}

function readPayloads(body: unknown): Payload[] {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { payloads?: unknown }).payloads)) {
    throw new Error('no "payloads" array');
  }
  return (body as { payloads: unknown[] }).payloads.map((entry, index) => {
    if (typeof entry !== 'object' || entry === null) throw new Error(`payloads[${index}] is not an object`);
    return temporal.api.common.v1.Payload.fromObject(entry);
  });
}

function writePayload(payload: Payload): unknown {
  return temporal.api.common.v1.Payload.toObject(temporal.api.common.v1.Payload.create(payload), { bytes: String });
}

function carriesToken(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match) return false;
  // Equal-length digests, so the comparison takes the same time whatever was sent.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match[1]!.trim()), digest(token));
}

function codecError(context: Context, status: 400 | 401 | 404 | 405 | 413, message: string) {
  return context.json({ error: { message } }, status);
}
