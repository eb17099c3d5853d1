import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { createCodecServerApp } from '../../codec/codec-server-app';
import { CompressionCodec } from '../../codec/compression-codec';
import { EncryptionCodec } from '../../codec/encryption-codec';
import { parseEncryptionKeys } from '../../codec/encryption-keys';
import { dataConverterFromEnvironment } from '../../codec/payload-codecs';
import type { ScriptedModelSpec } from '../../local-stack/model-server/scripted-model-spec';
import { parseSourceArgument } from '../../operations/backfill/sources/source-argument';
import { findOrBuildTemporalBinary } from '../../local-stack/dev-server/temporal-binary';
import { startHttpServer, type RunningHttpServer } from '../../http/http-server';
import { newRequestId, standardModels, standardRoutes, startHarness, type Harness } from './cascade-harness';
import { integrationEnvironment, requiredEnvironment } from './integration-environment';

const run = promisify(execFile);
// Unique per run: the shared server's SQLite file holds other tests' plain histories.
const secretPrompt = `SECRET-PROMPT-${randomUUID()}`;
const secretAnswer = `SECRET-ANSWER-${randomUUID()}`;
const secretTag = `SECRET-TAG-${randomUUID()}`;
const plainPrompt = `PLAIN-PROMPT-${randomUUID()}`;
// Short words: the provider error text is redacted of anything that looks like a key or a token.
const secretProviderError = `Jane Roe card ending ${randomUUID().slice(0, 8)}`;
const keys = `k2:${Buffer.alloc(32, 9).toString('base64')},k1:${Buffer.alloc(32, 8).toString('base64')}`;
const codecToken = 'codec-server-token-of-this-test';

/** The dev server's SQLite database and its journal files, as bytes read as text. */
function sqliteFiles(): string {
  const directory = requiredEnvironment(integrationEnvironment.workDirectory);
  return readdirSync(directory)
    .filter((name) => name.startsWith('temporal.sqlite'))
    .map((name) => readFileSync(join(directory, name)).toString('latin1'))
    .join('\n');
}

function modelsAnsweringSecretly(): ScriptedModelSpec[] {
  const [cheap, flagship] = standardModels();
  return [
    {
      ...cheap!,
      rules: [
        { whenContains: 'SECRET-PROMPT', respond: { text: `{"category": "billing", "note": "${secretAnswer}"}` } },
        { whenContains: 'SECRET-FAILS', respond: { text: '{}', faults: [{ status: 503, times: 100 }] } },
        ...cheap!.rules!,
      ],
    },
    {
      ...flagship!,
      rules: [
        // A provider's error that quotes the request, as some do.
        {
          whenContains: 'SECRET-FAILS',
          respond: {
            text: '{}',
            faults: [{ status: 400, times: 100, message: `bad request: ${secretProviderError}` }],
          },
        },
        ...flagship!.rules!,
      ],
    },
  ];
}

let encrypted: Harness;
let plain: Harness;
let codecServer: RunningHttpServer;

beforeAll(async () => {
  const dataConverter = dataConverterFromEnvironment({
    CASCADE_ENCRYPTION_KEYS: keys,
    CASCADE_PAYLOAD_COMPRESSION: 'zlib',
  });
  encrypted = await startHarness({
    models: modelsAnsweringSecretly(),
    routesYaml: standardRoutes(),
    dataConverter,
    bundleWorkflows: true,
  });
  plain = await startHarness({ models: standardModels(), routesYaml: standardRoutes() });
  const keyring = parseEncryptionKeys(keys, 'test');
  const app = createCodecServerApp({
    codecs: [new CompressionCodec(), new EncryptionCodec({ keyring, onMissingKey: 'pass-through' })],
    token: codecToken,
  });
  codecServer = await startHttpServer({ fetch: app.fetch });
});

afterAll(async () => {
  await encrypted?.stop();
  await plain?.stop();
  await codecServer?.close();
});

describe('encrypted payloads', () => {
  let workflowId: string;

  beforeAll(async () => {
    const result = await encrypted.client.run({
      requestId: newRequestId('encrypted'),
      route: 'tickets',
      messages: [{ role: 'user', content: `${secretPrompt}: I was charged twice` }],
      tags: { customer: 'acme', ticket: secretTag },
    });
    workflowId = result.workflowId;
    expect(result.outcome).toBe('accepted');
    expect(result.answer.text).toContain(secretAnswer);
    // A control: the same server stores a plain history's prompt where the greps below look.
    await plain.client.run({
      requestId: newRequestId('plain'),
      route: 'tickets',
      messages: [{ role: 'user', content: plainPrompt }],
    });
  });

  it('keeps the prompt, the answer and the tags out of the history a client without keys reads', async () => {
    const history = historyToJSON(await plain.temporal.workflow.getHandle(workflowId).fetchHistory());
    for (const secret of [secretPrompt, secretAnswer, secretTag]) expect(history).not.toContain(secret);
    expect(history).toContain(Buffer.from('binary/encrypted').toString('base64'));
    // Search attributes stay readable, by design: the route, outcome, costs and the customer tag.
    expect(history).toContain(Buffer.from('"acme"').toString('base64'));
  });

  it("keeps them out of the dev server's SQLite files, where a plain history's prompt is found", async () => {
    const stored = sqliteFiles();
    expect(stored).toContain(plainPrompt);
    for (const secret of [secretPrompt, secretAnswer, secretTag]) expect(stored).not.toContain(secret);
  });

  it('shows them to `temporal workflow show` through the codec server and its token', async () => {
    const binary = await findOrBuildTemporalBinary({});
    const show = (auth: string[]) =>
      run(binary, [
        'workflow',
        'show',
        '--workflow-id',
        workflowId,
        '--address',
        encrypted.address,
        '--codec-endpoint',
        codecServer.origin,
        ...auth,
        '--output',
        'json',
      ]);
    const { stdout } = await show(['--codec-auth', `Bearer ${codecToken}`]);
    // JSON output carries payload data in base64.
    const payloadTexts = [...stdout.matchAll(/"data": "([A-Za-z0-9+/=]+)"/g)]
      .map((match) => Buffer.from(match[1]!, 'base64').toString('utf8'))
      .join('\n');
    expect(payloadTexts).toContain(secretPrompt);
    expect(payloadTexts).toContain(secretAnswer);
    expect(payloadTexts).toContain(secretTag);
  });

  it("keeps a back-fill job's rows out of its history, its cascades' histories and the SQLite files", async () => {
    const rowSecret = `SECRET-ROW-${randomUUID()}`;
    const path = join(mkdtempSync(join(tmpdir(), 'encrypted-backfill-')), 'rows.jsonl');
    const rows = [1, 2, 3].map((index) =>
      JSON.stringify({
        requestId: newRequestId(`encrypted-row-${index}`),
        messages: [{ role: 'user', content: `${rowSecret} ${secretPrompt} row ${index}` }],
      }),
    );
    writeFileSync(path, `${rows.join('\n')}\n`);
    const jobId = `encrypted-${randomUUID().slice(0, 8)}`;
    await encrypted.backfill.start({
      jobId,
      source: parseSourceArgument(path),
      route: 'tickets',
      concurrency: 2,
      pageSize: 2,
    });
    const summary = await encrypted.backfill.result(jobId);
    expect(summary.counters).toMatchObject({ read: 3, done: 3, accepted: 3 });

    const workflowIds = [`backfill-${jobId}`];
    for await (const execution of plain.temporal.workflow.list({ query: `CascadeBackfillJob = "${jobId}"` }))
      workflowIds.push(execution.workflowId);
    expect(workflowIds).toHaveLength(4);
    for (const id of workflowIds) {
      const history = historyToJSON(await plain.temporal.workflow.getHandle(id).fetchHistory());
      expect(history).not.toContain(rowSecret);
      expect(history).not.toContain(secretAnswer);
    }
    expect(sqliteFiles()).not.toContain(rowSecret);
  });

  it("keeps a provider's error text out of a failed cascade's history, and gives it to the client", async () => {
    const requestId = newRequestId('encrypted-failure');
    const error = await encrypted.client
      .run({ requestId, route: 'tickets', messages: [{ role: 'user', content: 'SECRET-FAILS please' }] })
      .catch((caught: unknown) => caught as Error);
    expect(error).toMatchObject({ type: 'CascadeFailed' });
    const history = historyToJSON(await plain.temporal.workflow.getHandle(`cascade-${requestId}`).fetchHistory());
    expect(history).toContain('Encoded failure');
    expect(history).not.toContain(secretProviderError);
    expect(sqliteFiles()).not.toContain(secretProviderError);
    const decoded = await encrypted.temporal.workflow
      .getHandle(`cascade-${requestId}`)
      .result()
      .catch((caught: unknown) => caught as Error);
    expect(JSON.stringify(causeMessages(decoded))).toContain(secretProviderError);
  });
});

function causeMessages(error: unknown): string[] {
  const messages: string[] = [];
  for (
    let current = error as { message?: string; cause?: unknown } | undefined;
    current;
    current = current.cause as typeof current
  )
    messages.push(String(current.message));
  return messages;
}
