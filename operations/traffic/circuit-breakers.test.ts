import { setTimeout as delay } from 'node:timers/promises';
import { CircuitBreakers, CircuitOpenError, type CircuitStateChange } from './circuit-breakers';

const endpoint = { provider: 'openai', model: 'mini' };
const outage = new Error('503');
const rejected = new Error('400');
const counts = (error: unknown) => error === outage;

function breakers(changes: CircuitStateChange[] = []) {
  return new CircuitBreakers({
    settings: { failureShare: 0.5, windowMs: 10_000, minimumCalls: 4, cooldownMs: 100 },
    onStateChange: (change) => changes.push(change),
  });
}

const answer = () => Promise.resolve('answer');
const fail = (error: unknown) => () => Promise.reject(error);

async function settle(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => value,
    (error: unknown) => error,
  );
}

it('opens once more than the share of at least the minimum of calls failed, and then refuses without calling', async () => {
  const changes: CircuitStateChange[] = [];
  const circuits = breakers(changes);
  await circuits.call(endpoint, answer, counts);
  await circuits.call(endpoint, answer, counts);
  for (let index = 0; index < 2; index += 1)
    expect(await settle(circuits.call(endpoint, fail(outage), counts))).toBe(outage);
  // 2 of 4 failed: not above half.
  expect(circuits.states()[0]!.state).toBe('closed');
  expect(await settle(circuits.call(endpoint, fail(outage), counts))).toBe(outage);
  expect(circuits.states()[0]).toMatchObject({ state: 'open', probeAtMs: expect.any(Number) });
  expect(changes).toEqual([{ endpoint, from: 'closed', to: 'open', window: { calls: 5, failures: 3 } }]);

  let called = false;
  const refusal = await settle(
    circuits.call(
      endpoint,
      () => {
        called = true;
        return answer();
      },
      counts,
    ),
  );
  expect(called).toBe(false);
  expect(CircuitOpenError.isInstance(refusal)).toBe(true);
  expect((refusal as CircuitOpenError).type).toBe('CircuitOpen');
  expect((refusal as CircuitOpenError).nonRetryable).toBe(true);
  expect((refusal as Error).message).toMatch(/openai model mini: call refused without a request: the circuit is open/);
});

it('keeps one circuit per endpoint and model', async () => {
  const circuits = breakers();
  for (let index = 0; index < 4; index += 1) await settle(circuits.call(endpoint, fail(outage), counts));
  expect(await circuits.call({ ...endpoint, model: 'haiku' }, answer, counts)).toBe('answer');
  expect(await circuits.call({ ...endpoint, baseUrl: 'http://elsewhere/v1' }, answer, counts)).toBe('answer');
  expect(circuits.states().map((circuit) => circuit.state)).toEqual(['open', 'closed', 'closed']);
});

it('does not count failures the call says are not the endpoint’s', async () => {
  const circuits = breakers();
  for (let index = 0; index < 10; index += 1)
    expect(await settle(circuits.call(endpoint, fail(rejected), counts))).toBe(rejected);
  expect(circuits.states()[0]!.state).toBe('closed');
});

it('lets one probe through after the cooldown, refusing the others meanwhile; an answer closes it', async () => {
  const changes: CircuitStateChange[] = [];
  const circuits = breakers(changes);
  for (let index = 0; index < 4; index += 1) await settle(circuits.call(endpoint, fail(outage), counts));
  await delay(120);
  let releaseProbe: (value: string) => void = () => undefined;
  const probe = circuits.call(endpoint, () => new Promise<string>((resolve) => (releaseProbe = resolve)), counts);
  await delay(5);
  const during = await settle(circuits.call(endpoint, answer, counts));
  expect(CircuitOpenError.isInstance(during)).toBe(true);
  expect((during as Error).message).toContain('its probe is in flight');
  releaseProbe('probe answered');
  expect(await probe).toBe('probe answered');
  expect(circuits.states()[0]!.state).toBe('closed');
  expect(changes.map((change) => change.to)).toEqual(['open', 'half_open', 'closed']);
});

it('opens again for another cooldown when the probe fails', async () => {
  const changes: CircuitStateChange[] = [];
  const circuits = breakers(changes);
  for (let index = 0; index < 4; index += 1) await settle(circuits.call(endpoint, fail(outage), counts));
  await delay(120);
  expect(await settle(circuits.call(endpoint, fail(outage), counts))).toBe(outage);
  expect(circuits.states()[0]!.state).toBe('open');
  expect(CircuitOpenError.isInstance(await settle(circuits.call(endpoint, answer, counts)))).toBe(true);
  expect(changes.map((change) => change.to)).toEqual(['open', 'half_open', 'open']);
});
