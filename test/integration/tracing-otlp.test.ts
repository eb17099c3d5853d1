import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
// The OTLP protobuf messages, as the exporter's own transformer defines them.
import * as otlp from '@opentelemetry/otlp-transformer/build/src/generated/root';
import {
  newRequestId,
  standardModels,
  standardRoutes,
  startHarness,
  testApiKey,
  testApiKeyVariable,
  type Harness,
} from './cascade-harness';

jest.setTimeout(120_000);

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  attributes: Record<string, unknown>;
}

/** An OTLP attribute value, as protobufjs's `toObject` gives it. */
interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface DecodedRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: Array<{
      spans?: Array<{ traceId: string; spanId: string; parentSpanId?: string; name: string; attributes?: KeyValue[] }>;
    }>;
  }>;
}
const ExportTraceServiceRequest = (
  otlp as unknown as {
    opentelemetry: {
      proto: {
        collector: {
          trace: {
            v1: {
              ExportTraceServiceRequest: {
                decode(body: Uint8Array): unknown;
                toObject(message: unknown, options: { longs: unknown; bytes: unknown }): DecodedRequest;
              };
            };
          };
        };
      };
    };
  }
).opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/** An OTLP/HTTP receiver of traces in protobuf, as an OpenTelemetry Collector listens on 4318. */
function startReceiver(): Promise<{ server: Server; url: string; spans: ReceivedSpan[]; paths: string[] }> {
  const spans: ReceivedSpan[] = [];
  const paths: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      paths.push(`${request.method} ${request.url} ${request.headers['content-type']}`);
      let body = Buffer.concat(chunks);
      if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const decoded = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body), {
        longs: String,
        bytes: String,
      });
      for (const resourceSpans of decoded.resourceSpans ?? []) {
        const service = valueOf(
          resourceSpans.resource?.attributes?.find((entry) => entry.key === 'service.name')?.value,
        );
        for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
          for (const span of scopeSpans.spans ?? []) {
            spans.push({
              service: String(service),
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId ?? '',
              name: span.name,
              attributes: Object.fromEntries((span.attributes ?? []).map((entry) => [entry.key, valueOf(entry.value)])),
            });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, paths }),
    ),
  );
}

function valueOf(value: AnyValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  return undefined;
}

let harness: Harness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let directory: string;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  receiver = await startReceiver();
  harness = await startHarness({ models: standardModels(), routesYaml: standardRoutes(), withoutWorker: true });
  directory = mkdtempSync(join(tmpdir(), 'cascade-otlp-'));
});

afterAll(async () => {
  worker?.kill('SIGKILL');
  await harness?.stop();
  await new Promise((resolve) => receiver?.server.close(resolve));
  rmSync(directory, { recursive: true, force: true });
});

describe('traces exported by OTLP from `cascade worker`', () => {
  it('sends the workflow, activity and model-call spans to OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const routesPath = join(directory, 'routes.yaml');
    writeFileSync(routesPath, harness.routesYaml);
    const child = spawn(
      process.execPath,
      [
        join(__dirname, '..', '..', 'bin', 'cascade.js'),
        'worker',
        '--config',
        routesPath,
        '--task-queue',
        harness.taskQueue,
      ],
      {
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: harness.address,
          [testApiKeyVariable]: testApiKey,
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    worker = child;
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('cascade worker started')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      void exited.then((code) => reject(new Error(`the worker exited with ${code}:\n${output}`)));
    });

    const result = await harness.client.run({
      requestId: newRequestId('otlp'),
      route: 'tickets',
      messages: [{ role: 'user', content: 'CHEAP-OFF-SCHEMA where is my parcel' }],
    });
    expect(result.outcome).toBe('escalated');
    // The worker exports what it buffered as it stops.
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    expect(receiver.paths.length).toBeGreaterThan(0);
    expect(receiver.paths.every((path) => path.startsWith('POST /v1/traces application/x-protobuf'))).toBe(true);
    const run = receiver.spans.find(
      (span) => span.name === 'RunWorkflow:cascade' && span.attributes.workflowId === result.workflowId,
    );
    expect(run).toBeDefined();
    const trace = receiver.spans.filter((span) => span.traceId === run!.traceId);
    expect(new Set(trace.map((span) => span.service))).toEqual(new Set(['temporal-cascade-worker']));
    const flagship = trace.find((span) => span.name === 'chat flagship-model');
    expect(flagship?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'flagship-model',
      'gen_ai.response.model': 'flagship-model',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': result.tiers[1]?.usage?.inputTokens,
      'gen_ai.usage.output_tokens': result.tiers[1]?.usage?.outputTokens,
      'cascade.tier': 'flagship',
    });
    expect(trace.find((span) => span.name === 'RunActivity:evaluateGate')?.attributes).toMatchObject({
      'cascade.gate.passed': false,
      'cascade.escalation_reason': 'schema_invalid',
    });
    expect(trace.find((span) => span.name === 'RunActivity:recordOutcome')?.attributes).toMatchObject({
      'cascade.outcome': 'escalated',
      'cascade.cost_usd': result.cost.totalUsd,
    });
    const ids = new Set(trace.map((span) => span.spanId));
    expect(trace.filter((span) => span.parentSpanId && !ids.has(span.parentSpanId)).map((span) => span.name)).toEqual(
      [],
    );
  });
});
