import { ledgerTables } from '../ledger/ledger-schema';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import { PostgresCostLedger } from '../ledger/postgres-ledger';
import { CircuitBreakers, CircuitOpenError } from './circuit-breakers';

// The PostgreSQL of the test machine: trust authentication on 127.0.0.1, database `test`.
const connectionString = process.env.CASCADE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const table = `cascade_ledger_circuits_${randomBytes(6).toString('hex')}`;
const endpoint = { provider: 'openai', model: 'mini', baseUrl: 'http://127.0.0.1:1/v1' };
const outage = new Error('503');
const counts = (error: unknown) => error === outage;
const settings = { failureShare: 0.5, windowMs: 10_000, minimumCalls: 4, cooldownMs: 1_000, shared: true };

/** Two workers, each with its own ledger connection and breakers, on one database. */
let ledgers: PostgresCostLedger[] = [];

afterAll(async () => {
  await Promise.all(ledgers.map((ledger) => ledger.close()));
  const inspector = new Client({ connectionString });
  await inspector.connect();
  await inspector.query(`DROP TABLE IF EXISTS ${ledgerTables(table).join(', ')}`);
  await inspector.end();
});

async function worker(identity: string): Promise<CircuitBreakers> {
  const ledger = await PostgresCostLedger.connect({ connectionString, table });
  ledgers.push(ledger);
  return new CircuitBreakers({ settings, identity, shared: await ledger.sharedCircuits({ refreshMs: 100 }) });
}

async function settle(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => value,
    (error: unknown) => error,
  );
}

it('refuses, on every worker, an endpoint one worker found failing, until that worker closes it on a probe', async () => {
  ledgers = [];
  const first = await worker('worker-a');
  const second = await worker('worker-b');
  for (let index = 0; index < 4; index += 1) await settle(first.call(endpoint, () => Promise.reject(outage), counts));
  expect(first.states()[0]!.state).toBe('open');

  // The second worker made no call to it, yet refuses once it has read the store (every 100 ms here).
  let called = 0;
  const call = () => {
    called += 1;
    return Promise.resolve('answer');
  };
  await delay(250);
  const refusal = await settle(second.call(endpoint, call, counts));
  expect(called).toBe(0);
  expect(CircuitOpenError.isInstance(refusal)).toBe(true);
  expect((refusal as Error).message).toContain('the circuit is open (worker worker-a found it failing)');
  // Another endpoint is not affected.
  expect(await second.call({ ...endpoint, model: 'haiku' }, call, counts)).toBe('answer');

  // After the cooldown the first worker's probe fails: the circuit stays open for both, past the first cooldown.
  await delay(1_000);
  expect(await settle(first.call(endpoint, () => Promise.reject(outage), counts))).toBe(outage);
  await delay(250);
  expect(CircuitOpenError.isInstance(await settle(second.call(endpoint, call, counts)))).toBe(true);
  // After another, its probe is answered, and both call the endpoint again.
  await delay(1_000);
  expect(await first.call(endpoint, call, counts)).toBe('answer');
  await delay(250);
  expect(await second.call(endpoint, call, counts)).toBe('answer');
  expect(called).toBe(3);
});
