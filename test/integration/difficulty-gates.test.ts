import type { CascadeRequest } from '../../contracts/cascade/cascade-request';
import type { GateVerdict } from '../../contracts/cascade/gate-verdict';
import { newRequestId, scheduledModelCalls, startHarness, type Harness } from './cascade-harness';
import { difficultyModels as models, difficultyRoutesYaml as routesYaml } from './difficulty-stack';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ models, routesYaml });
});

afterAll(async () => {
  await harness?.stop();
});

function ask(route: string, content: string, extra: Partial<CascadeRequest> = {}): CascadeRequest {
  return { requestId: newRequestId(route), route, messages: [{ role: 'user', content }], ...extra };
}

describe('gates that read difficulty, on a real Temporal server', () => {
  it('accepts a confident answer and escalates an unsure one, from the log-probabilities the provider returned', async () => {
    const confident = await harness.client.run(ask('confidence', 'Which letter? CONFIDENT'));
    expect(confident.outcome).toBe('accepted');
    expect(confident.verdict).toMatchObject({ gate: 'confidence', passed: true, threshold: 0.5 });
    expect(confident.verdict!.score).toBeCloseTo(Math.exp(-0.01), 6);

    const unsure = await harness.client.run(ask('confidence', 'Which letter? UNSURE'));
    expect(unsure.outcome).toBe('escalated');
    expect(unsure.escalationReason).toBe('low_confidence');
    expect(unsure.verdict!.score).toBeCloseTo(Math.exp(-2), 6);
  });

  it('applies the route calibration to the raw signal', async () => {
    // Platt with slope 1, intercept -1 maps logprob -0.01 to 1 / (1 + e^1.01) ≈ 0.267: below 0.5.
    const result = await harness.client.run(ask('calibrated', 'Which letter? CONFIDENT'));
    expect(result.outcome).toBe('escalated');
    expect(result.verdict!.score).toBeCloseTo(1 / (1 + Math.exp(1.01)), 6);
  });

  it('reports no signal, never a silent pass, when the provider returns no log-probabilities', async () => {
    const result = await harness.client.run(ask('no-signal', 'Which letter? CONFIDENT'));
    expect(result.outcome).toBe('escalated');
    expect(result.escalationReason).toBe('no_signal');
  });

  it('samples the cheap model k times, bills every sample to the cheap tier, and reports the agreement', async () => {
    const before = harness.callsOf('cheap-model');
    const result = await harness.client.run(ask('consistency', 'Which letter? CONFIDENT'));
    expect(harness.callsOf('cheap-model') - before).toBe(3);
    const samples = result.tiers.filter((tier) => tier.role === 'sample');
    expect(samples).toHaveLength(2);
    const cheapCalls = result.tiers.filter((tier) => tier.tier === 'cheap');
    expect(result.cost.cheapUsd).toBeCloseTo(
      cheapCalls.reduce((total, tier) => total + tier.cost.usd, 0),
      12,
    );
    expect(result.cost.cheapUsd).toBeGreaterThan(cheapCalls[0]!.cost.usd * 2.5);
    expect(result.verdict).toMatchObject({ gate: 'self-consistency', passed: true, score: 1, threshold: 0.6 });
    expect(result.verdict!.detail).toContain('3 of 3');
    const events = await harness.history(result.workflowId);
    expect(scheduledModelCalls(events).cheap).toBe(3);
  });

  it('asks a judge, bills it on its own line, and escalates when the judge scores low', async () => {
    const liked = await harness.client.run(ask('judged', 'Capital of France? JUDGE-LIKES'));
    expect(liked.outcome).toBe('accepted');
    expect(liked.verdict).toMatchObject({ gate: 'judge', passed: true, score: 0.9, threshold: 0.5 });
    expect(liked.verdict!.detail).toContain('correct and complete');
    expect(liked.cost.judgeUsd).toBeGreaterThan(0);
    expect(liked.cost.totalUsd).toBeCloseTo(liked.cost.cheapUsd + liked.cost.judgeUsd, 12);
    expect(liked.tiers.map((tier) => tier.tier)).toEqual(['cheap', 'judge']);

    const disliked = await harness.client.run(ask('judged', 'Capital of France? JUDGE-DISLIKES'));
    expect(disliked.outcome).toBe('escalated');
    expect(disliked.escalationReason).toBe('judge_rejected');
    expect(disliked.verdict!.score).toBeCloseTo(0.2, 6);
  });

  it('treats a judge whose answer holds no score as a rejection, with the reason', async () => {
    const result = await harness.client.run(ask('judged', 'Capital of France? nothing to match'));
    expect(result.outcome).toBe('escalated');
    expect(result.escalationReason).toBe('judge_rejected');
    expect(result.verdict!.detail).toContain('InvalidJudgeOutput');
  });

  it('combines sub-gates by weight, showing each score and threshold', async () => {
    // The answer carries the model server's default logprob -0.05: confidence exp(-0.05) ≈ 0.95
    // (weight 1), judge 0.2 (weight 3): (0.95 + 0.6) / 4 ≈ 0.39 < 0.7.
    const result = await harness.client.run(ask('weighted', 'Capital of France? JUDGE-DISLIKES'));
    expect(result.outcome).toBe('escalated');
    expect(result.verdict).toMatchObject({ gate: 'weighted', passed: false, threshold: 0.7 });
    expect(result.verdict!.score).toBeCloseTo((Math.exp(-0.05) + 3 * 0.2) / 4, 6);
    const children = result.verdict!.children as GateVerdict[];
    expect(children.map((child) => [child.gate, child.threshold])).toEqual([
      ['confidence', 0.5],
      ['judge', 0.5],
    ]);
  });

  it('asks the flagship in the shadow of an accepted answer when the request says so, without billing it to the cascade', async () => {
    const before = harness.callsOf('flagship-model');
    const result = await harness.client.run(ask('confidence', 'Which letter? CONFIDENT', { shadowFlagship: true }));
    expect(result.outcome).toBe('accepted');
    expect(harness.callsOf('flagship-model') - before).toBe(1);
    expect(result.shadow).toMatchObject({
      model: 'flagship-model',
      text: 'C',
      report: { role: 'shadow', status: 'answered' },
    });
    expect(result.cost.flagshipUsd).toBe(0);
    expect(result.cost.flagshipOnlyUsd).toBe(result.shadow!.report.cost.usd);
    expect(scheduledModelCalls(await harness.history(result.workflowId)).flagship).toBe(1);
  });
});
