import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { demoFiles } from '../../local-stack/local-stack';
import { CascadeClient } from '../../client/cascade-client';
import { loadConfig } from '../../config/load-config';
import { pickFreePort } from '../../http/free-port';
import { findOrBuildTemporalBinary } from '../../local-stack/dev-server/temporal-binary';

// `cascade dev` processes as a user runs them, each starting its own dev server in one shared cache.
jest.setTimeout(240_000);

interface RunningDev {
  process: ChildProcess;
  stderr: () => string;
  modelServerUrl: string;
  apiUrl: string;
  metricsUrl: string;
}

let cacheDirectory: string;
let environment: NodeJS.ProcessEnv;
const started: RunningDev[] = [];

beforeAll(async () => {
  cacheDirectory = mkdtempSync(join(tmpdir(), 'cascade-two-stacks-'));
  environment = {
    ...process.env,
    TEMPORAL_CASCADE_CACHE: cacheDirectory,
    TEMPORAL_CLI_PATH: await findOrBuildTemporalBinary(),
  };
  delete environment.TEMPORAL_ADDRESS;
  delete environment.CASCADE_MODEL_SERVER_URL;
});

afterAll(async () => {
  await Promise.all(started.map(stopDev));
  rmSync(cacheDirectory, { recursive: true, force: true });
});

/** Starts `cascade dev` on the given Temporal ports and waits until it says it is ready. */
function startDev(port: number, uiPort: number): Promise<RunningDev> {
  const child = spawn(
    process.execPath,
    [
      join(__dirname, '..', '..', 'bin', 'cascade.js'),
      'dev',
      '--port',
      String(port),
      '--ui-port',
      String(uiPort),
      '--model-server-port',
      '0',
      '--api-port',
      '0',
      '--metrics-port',
      '0',
    ],
    {
      env: environment,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  const running: RunningDev = { process: child, stderr: () => stderr, modelServerUrl: '', apiUrl: '', metricsUrl: '' };
  started.push(running);
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const url = /Model server {2}(\S+)/.exec(stderr)?.[1];
      const apiUrl = /OpenAI-compatible API at (\S+)/.exec(stderr)?.[1];
      const metricsUrl = /Prometheus metrics at (\S+)/.exec(stderr)?.[1];
      if (stderr.includes('Press Ctrl-C') && url && apiUrl && metricsUrl)
        resolve({ ...running, modelServerUrl: url, apiUrl, metricsUrl });
    });
    child.once('exit', (code) =>
      reject(new Error(`cascade dev exited with code ${code} before it was ready:\n${stderr}`)),
    );
  });
}

async function stopDev(running: RunningDev): Promise<void> {
  if (running.process.exitCode !== null || running.process.signalCode !== null) return;
  const exited = new Promise((resolve) => running.process.once('exit', resolve));
  running.process.kill('SIGINT');
  await exited;
}

async function runOneCascade(address: string, modelServerUrl: string) {
  const routes = loadConfig({ path: demoFiles.routes, environment: { CASCADE_MODEL_SERVER_URL: modelServerUrl } });
  const client = await CascadeClient.connect({ address, routes });
  try {
    return await client.run({
      requestId: `two-stacks-${Date.now()}-${Math.random()}`,
      route: 'support-ticket',
      messages: [{ role: 'user', content: 'I was charged twice this month.' }],
    });
  } finally {
    await client.close();
  }
}

it('two local stacks started at once on different ports each get their own SQLite file and both run cascades', async () => {
  const [firstPort, secondPort, firstUiPort, secondUiPort] = await Promise.all([
    pickFreePort(),
    pickFreePort(),
    pickFreePort(),
    pickFreePort(),
  ]);
  const [first, second] = await Promise.all([startDev(firstPort!, firstUiPort!), startDev(secondPort!, secondUiPort!)]);
  for (const [running, port] of [
    [first!, firstPort!],
    [second!, secondPort!],
  ] as const) {
    const result = await runOneCascade(`127.0.0.1:${port}`, running.modelServerUrl);
    expect(['accepted', 'escalated']).toContain(result.outcome);
    expect(existsSync(join(cacheDirectory, 'dev-server', `temporal-${port}.sqlite`))).toBe(true);
    expect(running.stderr()).not.toContain('warning:');
  }

  // Each stack's OpenAI-compatible API, as the official client reaches it, without a key on loopback.
  expect(first!.stderr()).toContain('no key required');
  const openai = new OpenAI({ baseURL: first!.apiUrl, apiKey: 'unused', maxRetries: 0 });
  const completion = await openai.chat.completions.create({
    model: 'support-ticket',
    messages: [{ role: 'user', content: 'I was charged twice this month.' }],
  });
  expect(completion.choices[0]!.message.content).toBeTruthy();
  expect(['support-mini', 'support-large']).toContain(completion.model);

  // One scrape: the cascades, the API's requests and the Core SDK's runtime.
  const scrape = await (await fetch(first!.metricsUrl)).text();
  expect(scrape).toMatch(
    /^cascade_requests_total\{route="support-ticket",outcome="(accepted|escalated)",escalation_reason="[a-z_]+"\} [1-9]/m,
  );
  expect(scrape).toMatch(/^cascade_api_requests_total\{route="support-ticket",status="200",caller="anonymous"\} 1$/m);
  expect(scrape).toMatch(/^temporal_/m);

  // A third stack on the first one's port finds that server, and the first stack's worker on its queue.
  const third = await startDev(firstPort!, 0);
  expect(third.stderr()).toContain(
    `warning: a Temporal server already answers on 127.0.0.1:${firstPort}: this command did not start it`,
  );
  expect(third.stderr()).toMatch(
    new RegExp(
      `warning: task queue cascade on 127\\.0\\.0\\.1:${firstPort} is also polled by 1 worker\\(s\\) with other routes \\(${first!.process.pid}@\\S+ routes=[0-9a-f]{12}`,
    ),
  );
  await stopDev(third);
});
