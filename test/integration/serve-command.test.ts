import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startServeProcess, type ServeProcess } from '../../bench/serve-load/serve-process';
import { pickFreePort } from '../../http/free-port';
import { standardModels, standardRoutes, startHarness, type Harness } from './cascade-harness';

// `cascade serve` as an operator runs it: its own process, the routes file's api section, Temporal's variables.
jest.setTimeout(120_000);

const callerKey = 'serve-command-test-key';
let harness: Harness;
let directory: string;
let configPath: string;
let serve: ServeProcess | undefined;

beforeAll(async () => {
  harness = await startHarness({ models: standardModels(), routesYaml: standardRoutes() });
  directory = mkdtempSync(join(tmpdir(), 'cascade-serve-command-'));
  configPath = join(directory, 'routes.yaml');
  writeFileSync(
    configPath,
    `${harness.routesYaml}\napi:\n  callers:\n    app: { keyEnv: SERVE_TEST_CALLER_KEY, customer: acme }\n`,
  );
});

afterAll(async () => {
  await serve?.stop();
  await harness?.stop();
  rmSync(directory, { recursive: true, force: true });
});

/** Runs `cascade serve` until it exits, for the runs that must refuse to start. */
function serveOnce(args: string[], environment: Record<string, string> = {}) {
  return spawnSync(
    process.execPath,
    [join(__dirname, '..', '..', 'bin', 'cascade.js'), 'serve', '--address', harness.address, ...args],
    { encoding: 'utf8', env: { ...process.env, ...environment }, timeout: 60_000 },
  );
}

it('serves the routes to a caller whose key it reads from its environment, and is ready once a worker polls', async () => {
  serve = await startServeProcess({
    configPath,
    address: harness.address,
    port: await pickFreePort(),
    taskQueue: harness.taskQueue,
    environment: { SERVE_TEST_CALLER_KEY: callerKey },
  });
  const openai = new OpenAI({ baseURL: serve.baseUrl, apiKey: callerKey, maxRetries: 0 });
  const completion = await openai.chat.completions.create({
    model: 'tickets',
    messages: [{ role: 'user', content: 'Ticket: I was charged twice.' }],
  });
  expect(completion.choices[0]!.message.content).toBe('{"category": "billing"}');
  const wrong = new OpenAI({ baseURL: serve.baseUrl, apiKey: 'another-key', maxRetries: 0 });
  await expect(wrong.models.list()).rejects.toMatchObject({ status: 401 });
});

it('refuses to start without the variable of a caller key, naming it', () => {
  const run = serveOnce(['--config', configPath, '--port', '0']);
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('api.callers.app.keyEnv: the variable SERVE_TEST_CALLER_KEY is not set');
});

it('refuses to take requests without keys beyond loopback unless told', () => {
  const open = join(directory, 'open-routes.yaml');
  writeFileSync(open, harness.routesYaml);
  const run = serveOnce(['--config', open, '--host', '0.0.0.0', '--port', '0']);
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('names no callers, so --host 0.0.0.0 would take requests from anyone');
});
