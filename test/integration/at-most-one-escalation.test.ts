import { CascadeFailedError } from '../../client/cascade-errors';
import { seededRandom } from '../../evaluation/tuning/seeded-random';
import {
  newRequestId,
  scheduledModelCalls,
  standardModels,
  standardRoutes,
  startHarness,
  type Harness,
} from './cascade-harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ models: standardModels(), routesYaml: standardRoutes({ cheapTimeout: '2s' }) });
});

afterAll(async () => {
  await harness?.stop();
});

/** What the cheap tier does, and the escalation reason it should cause (none when it answers well). */
const cheapOutcomes = [
  { marker: '', reason: undefined },
  { marker: 'CHEAP-INVALID-JSON', reason: 'json_invalid' },
  { marker: 'CHEAP-OFF-SCHEMA', reason: 'schema_invalid' },
  { marker: 'CHEAP-REFUSES', reason: 'refusal' },
  { marker: 'CHEAP-UNAVAILABLE', reason: 'cheap_unavailable' },
  { marker: 'CHEAP-HANGS', reason: 'cheap_timeout' },
] as const;

/** What the flagship does: answers, after how many calls, or fails. */
const flagshipOutcomes = [
  { marker: '', answers: true, calls: 1 },
  { marker: 'FLAGSHIP-RATE-LIMITED', answers: true, calls: 3 },
  { marker: 'FLAGSHIP-BAD-REQUEST', answers: false, calls: 1 },
  { marker: 'FLAGSHIP-DOWN', answers: false, calls: 4 },
] as const;

it('never escalates more than once, whatever the gate and the failures do (48 random cases)', async () => {
  const seed = Number(process.env.CASCADE_INVARIANT_SEED ?? 20261122);
  // Seeded, so a failure names a case that can be run again.
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[random.index(items.length)]!;
  const cases = Array.from({ length: 48 }, (_unused, index) => ({
    index,
    cheap: pick(cheapOutcomes),
    flagship: pick(flagshipOutcomes),
  }));

  // One cascade first, so no random case pays the worker's cold start against the 2 s cheap timeout.
  const warmUp = await harness.client.start({
    requestId: newRequestId(`invariant-${seed}-warm-up`),
    route: 'tickets',
    messages: [{ role: 'user', content: 'Warm-up: please classify.' }],
  });
  await harness.client.result(warmUp.workflowId);

  const outcomes = await Promise.all(
    cases.map(async (testCase) => {
      const request = {
        requestId: newRequestId(`invariant-${seed}-${testCase.index}`),
        route: 'tickets',
        messages: [
          {
            role: 'user' as const,
            content: `Case ${testCase.index} ${testCase.cheap.marker} ${testCase.flagship.marker}: please classify.`,
          },
        ],
      };
      const started = await harness.client.start(request);
      const result = await harness.client.result(started.workflowId).catch((error: unknown) => error);
      return {
        testCase,
        workflowId: started.workflowId,
        result,
        calls: scheduledModelCalls(await harness.history(started.workflowId)),
      };
    }),
  );

  for (const { testCase, result, calls } of outcomes) {
    const label = `case ${testCase.index} (seed ${seed}): cheap ${testCase.cheap.marker || 'good'}, flagship ${testCase.flagship.marker || 'good'}`;
    expect({ label, cheapCalls: calls.cheap }).toEqual({ label, cheapCalls: 1 });
    expect({ label, atMostOne: calls.flagship <= 1 }).toEqual({ label, atMostOne: true });
    const escalates = testCase.cheap.reason !== undefined;
    expect({ label, flagshipScheduled: calls.flagship }).toEqual({ label, flagshipScheduled: escalates ? 1 : 0 });
    if (!escalates) {
      expect({ label, outcome: (result as { outcome?: string }).outcome }).toEqual({ label, outcome: 'accepted' });
    } else if (testCase.flagship.answers) {
      expect({
        label,
        outcome: (result as { outcome?: string }).outcome,
        reason: (result as { escalationReason?: string }).escalationReason,
      }).toEqual({
        label,
        outcome: 'escalated',
        reason: testCase.cheap.reason,
      });
    } else {
      expect({
        label,
        failed: result instanceof CascadeFailedError,
        reason:
          (result as CascadeFailedError).details &&
          ((result as CascadeFailedError).details as { escalationReason: string }).escalationReason,
      }).toEqual({
        label,
        failed: true,
        reason: testCase.cheap.reason,
      });
    }
  }
  // The random draw must have covered every path, or the test proves less than it says.
  const paths = new Set(
    outcomes.map(({ testCase }) => `${testCase.cheap.reason === undefined}-${testCase.flagship.answers}`),
  );
  expect(paths.size).toBe(4);
});
