import type { CascadeRequest } from '../../contracts/cascade/cascade-request';
import type { ScriptedModelSpec } from '../../local-stack/model-server/scripted-model-spec';
import { newRequestId, startHarness, type Harness } from './cascade-harness';

/** A cheap model whose answer token `B` is saturated (logprob about 0) either way; only its runner-up differs. */
const models: ScriptedModelSpec[] = [
  {
    id: 'cheap-model',
    rules: [
      {
        whenContains: 'WIDE',
        respond: {
          text: 'B',
          logprob: -0.01,
          alternatives: [
            { token: 'C', logprob: -5 },
            { token: 'A', logprob: -7 },
          ],
        },
      },
      {
        whenContains: 'CLOSE',
        respond: {
          text: 'B',
          logprob: 0,
          alternatives: [
            { token: 'A', logprob: -6 },
            { token: 'C', logprob: -0.2 },
          ],
        },
      },
    ],
    default: { text: 'B' },
  },
  { id: 'flagship-model', default: { text: 'C' } },
];

const fast = `timeout: 2s\n      retry: { initialInterval: 100ms, maximumInterval: 200ms, maximumAttempts: 2 }`;
const route = (name: string, gate: string) => `
  ${name}:
    cheap:
      model: cheap
      ${fast}
    flagship:
      model: flagship
      ${fast}
    gate: ${gate}`;

const routesYaml = `
models:
  cheap: { provider: openai, model: cheap-model, baseUrl: "\${MODEL_SERVER_URL}", apiKeyEnv: \${API_KEY_ENV}, logprobs: true, topLogprobs: 5, price: { inputPerMillionUsd: 1, outputPerMillionUsd: 2 } }
  flagship: { provider: openai, model: flagship-model, baseUrl: "\${MODEL_SERVER_URL}", apiKeyEnv: \${API_KEY_ENV}, price: { inputPerMillionUsd: 10, outputPerMillionUsd: 20 } }
routes:${route('margin', '{ kind: confidence, aggregation: margin, threshold: 0.9 }')}${route('margin-signal', '{ kind: confidence, aggregation: margin, signalThreshold: 2 }')}${route(
  'first-token',
  '{ kind: confidence, aggregation: first-token, threshold: 0.9 }',
)}
`;

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ models, routesYaml });
});

afterAll(async () => {
  await harness?.stop();
});

function ask(route: string, content: string): CascadeRequest {
  return { requestId: newRequestId(route), route, messages: [{ role: 'user', content }] };
}

describe('a margin confidence gate, on a real Temporal server', () => {
  it('accepts a saturated answer with a wide margin and escalates one whose runner-up is close', async () => {
    const wide = await harness.client.run(ask('margin', 'Which letter? WIDE'));
    expect(wide.outcome).toBe('accepted');
    expect(wide.answer.text).toBe('B');
    expect(wide.verdict).toMatchObject({ gate: 'confidence', passed: true, threshold: 0.9 });
    // -0.01 for B against -5 for C, its best alternative.
    expect(wide.verdict!.signal).toBeCloseTo(4.99, 9);
    expect(wide.verdict!.score).toBeCloseTo(1 / (1 + Math.exp(-4.99)), 9);
    expect(wide.verdict!.detail).toBe('confidence 0.99 (margin 5, uncalibrated) reaches threshold 0.90');

    const close = await harness.client.run(ask('margin', 'Which letter? CLOSE'));
    expect(close.outcome).toBe('escalated');
    expect(close.escalationReason).toBe('low_confidence');
    expect(close.answer).toMatchObject({ tier: 'flagship', text: 'C' });
    expect(close.verdict).toMatchObject({ gate: 'confidence', passed: false, reasons: ['low_confidence'] });
    expect(close.verdict!.signal).toBeCloseTo(0.2, 9);
    expect(close.verdict!.score).toBeCloseTo(1 / (1 + Math.exp(-0.2)), 9);
  });

  it('holds the margin to a signal threshold, and shows why the plain log-probability cannot tell the two apart', async () => {
    const wide = await harness.client.run(ask('margin-signal', 'Which letter? WIDE'));
    expect(wide.outcome).toBe('accepted');
    expect(wide.verdict).toMatchObject({
      passed: true,
      signalThreshold: 2,
      threshold: expect.closeTo(1 / (1 + Math.exp(-2)), 9),
    });
    expect(wide.verdict!.detail).toBe('confidence 0.99 (margin 5, uncalibrated): signal 5 reaches signal threshold 2');

    const close = await harness.client.run(ask('margin-signal', 'Which letter? CLOSE'));
    expect(close.outcome).toBe('escalated');
    expect(close.verdict).toMatchObject({ passed: false, signalThreshold: 2, signal: expect.closeTo(0.2, 9) });
    expect(close.verdict!.detail).toBe(
      'confidence 0.55 (margin 0.2, uncalibrated): signal 0.2 below signal threshold 2',
    );

    // The same saturated answer passes a first-token gate: its log-probability is 0.
    const firstToken = await harness.client.run(ask('first-token', 'Which letter? CLOSE'));
    expect(firstToken.outcome).toBe('accepted');
    expect(firstToken.verdict).toMatchObject({ passed: true, score: 1, signal: 0 });
  });
});
