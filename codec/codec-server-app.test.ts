import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { startHttpServer, type RunningHttpServer } from '../http/http-server';
import { createCodecServerApp } from './codec-server-app';
import { CompressionCodec } from './compression-codec';
import { EncryptionCodec } from './encryption-codec';
import { parseEncryptionKeys } from './encryption-keys';

const keyring = parseEncryptionKeys(`k1:${Buffer.alloc(32, 3).toString('base64')}`, 'test');
const codecs = [new CompressionCodec(), new EncryptionCodec({ keyring, onMissingKey: 'pass-through' })];
const token = 'codec-token-for-tests';
const uiOrigin = 'http://127.0.0.1:8233';
let server: RunningHttpServer;

beforeAll(async () => {
  const app = createCodecServerApp({ codecs, token, allowedOrigins: [uiOrigin] });
  server = await startHttpServer({ fetch: app.fetch });
});
afterAll(() => server.close());

const asJson = (payloads: ReturnType<typeof defaultPayloadConverter.toPayload>[]) => ({
  payloads: payloads.map((payload) =>
    temporal.api.common.v1.Payload.toObject(temporal.api.common.v1.Payload.create(payload), { bytes: String }),
  ),
});
const post = (path: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
  fetch(`${server.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
    body: JSON.stringify(body),
  });

describe('codec server', () => {
  it('decodes what the workers encoded, in the remote codec JSON format', async () => {
    let encoded = [defaultPayloadConverter.toPayload({ prompt: 'refund order 4411' })];
    for (const codec of codecs) encoded = await codec.encode(encoded);
    const response = await post('/decode', asJson(encoded));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> };
    expect(Buffer.from(body.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(body.payloads[0]!.data, 'base64').toString())).toEqual({
      prompt: 'refund order 4411',
    });
  });

  it('encodes, for the Web UI sending a signal', async () => {
    const response = await post('/encode', asJson([defaultPayloadConverter.toPayload('hello')]));
    const body = (await response.json()) as { payloads: Array<{ metadata: Record<string, string> }> };
    expect(Buffer.from(body.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
  });

  it('refuses a request without the token, or with another one', async () => {
    const payloads = asJson([defaultPayloadConverter.toPayload('x')]);
    expect((await post('/decode', payloads, {})).status).toBe(401);
    expect((await post('/decode', payloads, { authorization: 'Bearer guess' })).status).toBe(401);
  });

  it("answers the Web UI's preflight for its origin only", async () => {
    const preflight = (origin: string) =>
      fetch(`${server.origin}/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-namespace,authorization',
        },
      });
    const allowed = await preflight(uiOrigin);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect((await preflight('https://elsewhere.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('says what is wrong with a malformed body', async () => {
    const response = await post('/decode', { payload: [] });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('no "payloads" array');
  });
});
