import { policyWithGate, resultOf, rowOf, verdictOf } from './evaluation.fixture';
import { recordFromFailure, recordFromResult } from './record-from-result';
import { findThresholdedGate, thresholdOf } from './thresholded-gate';

const row = rowOf({ id: 'mmlu/1', cheapCorrect: true, flagshipCorrect: false });

describe('recordFromResult', () => {
  it('reads a confidence gate: its score, its raw signal, the labels and the shadow flagship cost', () => {
    const policy = policyWithGate({ kind: 'confidence', threshold: 0.8 });
    const verdict = verdictOf({ gate: 'confidence', passed: true, score: 0.9, signal: Math.log(0.9), threshold: 0.8 });
    const { record, failure } = recordFromResult({
      row,
      policy,
      result: resultOf({ policy, outcome: 'accepted', verdict }),
    });
    expect(failure).toBeUndefined();
    expect(record).toEqual({
      id: 'mmlu/1',
      subset: 'rational-cascades/mmlu',
      cheapCorrect: true,
      flagshipCorrect: false,
      signal: Math.log(0.9),
      score: 0.9,
      deterministicPass: true,
      cheapCostUsd: 0.00002,
      gateCostUsd: 0,
      flagshipCostUsd: 0.00031,
    });
    expect(thresholdOf(findThresholdedGate(policy.gate))).toBe(0.8);
  });

  it('reads the thresholded child of an all gate, and the deterministic checks from the other children', () => {
    const policy = policyWithGate({
      kind: 'all',
      gates: [
        { kind: 'refusal' },
        { kind: 'confidence', threshold: 0.6 },
        { kind: 'required-pattern', pattern: '^[A-D]$' },
      ],
    });
    const children = [
      verdictOf({ gate: 'refusal', passed: true, score: 1 }),
      verdictOf({ gate: 'confidence', passed: false, score: 0.4, signal: Math.log(0.4) }),
      verdictOf({ gate: 'required-pattern', passed: false, score: 0 }),
    ];
    const verdict = verdictOf({ gate: 'all', passed: false, score: 0, children });
    const { record } = recordFromResult({ row, policy, result: resultOf({ policy, outcome: 'escalated', verdict }) });
    expect(record).toMatchObject({
      score: 0.4,
      signal: Math.log(0.4),
      deterministicPass: false,
      flagshipCostUsd: 0.0003,
    });
    expect(thresholdOf(findThresholdedGate(policy.gate))).toBe(0.6);

    children[2] = verdictOf({ gate: 'required-pattern', passed: true, score: 1 });
    const passing = recordFromResult({
      row,
      policy,
      result: resultOf({ policy, outcome: 'escalated', verdict: { ...verdict, children } }),
    });
    expect(passing.record.deterministicPass).toBe(true);
  });

  it('bills a judge to the gate and reads its score', () => {
    const judge = {
      kind: 'judge',
      model: {
        provider: 'openai',
        model: 'gpt-4o',
        baseUrl: 'http://127.0.0.1:9999/v1',
        apiKeyEnv: 'CASCADE_MODEL_SERVER_API_KEY',
      },
      rubric: 'Is it right?',
      threshold: 0.5,
    } as const;
    const policy = policyWithGate(judge);
    const verdict = verdictOf({ gate: 'judge', passed: true, score: 0.7 });
    const { record } = recordFromResult({
      row,
      policy,
      result: resultOf({ policy, outcome: 'accepted', verdict, judgeUsd: 0.0001 }),
    });
    expect(record).toMatchObject({ score: 0.7, signal: undefined, deterministicPass: true, gateCostUsd: 0.0001 });
  });

  it('scores a pass-or-fail gate 1 or 0, at threshold 1', () => {
    const policy = policyWithGate({
      kind: 'all',
      gates: [{ kind: 'refusal' }, { kind: 'required-pattern', pattern: '^[A-D]$' }],
    });
    const rejected = verdictOf({ gate: 'all', passed: false, score: 0, children: [] });
    expect(
      recordFromResult({ row, policy, result: resultOf({ policy, outcome: 'escalated', verdict: rejected }) }).record,
    ).toMatchObject({ score: 0, deterministicPass: true });
    const accepted = verdictOf({ gate: 'all', passed: true, score: 1, children: [] });
    expect(
      recordFromResult({ row, policy, result: resultOf({ policy, outcome: 'accepted', verdict: accepted }) }).record,
    ).toMatchObject({ score: 1, deterministicPass: true });
    expect(thresholdOf(findThresholdedGate(policy.gate))).toBe(1);
  });

  it('escalates at every threshold when the cheap tier gave no answer to judge', () => {
    const policy = policyWithGate({ kind: 'confidence', threshold: 0.8 });
    const { record } = recordFromResult({ row, policy, result: resultOf({ policy, outcome: 'escalated' }) });
    expect(record).toMatchObject({ score: 0, deterministicPass: false, signal: undefined });
  });

  it('counts a failed shadow call as flagship wrong, and lists it', () => {
    const policy = policyWithGate({ kind: 'confidence', threshold: 0.8 });
    const rightFlagship = rowOf({ id: 'mmlu/2', cheapCorrect: true, flagshipCorrect: true });
    const verdict = verdictOf({ gate: 'confidence', passed: true, score: 0.9 });
    const { record, failure } = recordFromResult({
      row: rightFlagship,
      policy,
      result: resultOf({ policy, outcome: 'accepted', verdict, shadowStatus: 'unavailable' }),
    });
    expect(record.flagshipCorrect).toBe(false);
    expect(failure).toMatchObject({ id: 'mmlu/2', type: 'ShadowFailed' });
  });

  it('refuses a gate shape it cannot read one threshold from', () => {
    expect(() =>
      findThresholdedGate(
        policyWithGate({ kind: 'any', gates: [{ kind: 'refusal' }, { kind: 'confidence', threshold: 0.5 }] }).gate,
      ),
    ).toThrow(expect.objectContaining({ type: 'UnsupportedGate' }));
    expect(() =>
      findThresholdedGate(
        policyWithGate({
          kind: 'all',
          gates: [
            { kind: 'confidence', threshold: 0.5 },
            { kind: 'self-consistency', samples: 3, extractor: { kind: 'choice-letter' }, threshold: 0.6 },
          ],
        }).gate,
      ),
    ).toThrow(expect.objectContaining({ type: 'UnsupportedGate' }));
  });
});

describe('recordFromFailure', () => {
  it('counts a failed cascade as flagship wrong, escalated at every threshold, with what was billed', () => {
    const policy = policyWithGate({ kind: 'confidence', threshold: 0.8 });
    const details = {
      cost: { totalUsd: 0.00002, cheapUsd: 0.00002, flagshipUsd: 0, judgeUsd: 0 },
      tiers: [
        {
          tier: 'cheap',
          model: 'gpt-4o-mini',
          status: 'answered',
          attempts: 1,
          latencyMs: 5,
          cost: { usd: 0.00002, source: 'price-table' },
        },
        {
          tier: 'flagship',
          model: 'gpt-4o',
          status: 'unavailable',
          attempts: 4,
          latencyMs: undefined,
          cost: { usd: 0, source: 'price-table' },
          errorType: 'ProviderUnavailable',
          errorMessage: '503',
        },
      ],
    };
    const { record, failure } = recordFromFailure({
      row,
      policy,
      workflowId: 'cascade-eval-x-1',
      type: 'CascadeFailed',
      message: 'failed',
      details,
    });
    expect(record).toMatchObject({
      cheapCorrect: true,
      flagshipCorrect: false,
      score: 0,
      deterministicPass: false,
      cheapCostUsd: 0.00002,
      flagshipCostUsd: 0,
    });
    expect(failure).toEqual({
      id: 'mmlu/1',
      workflowId: 'cascade-eval-x-1',
      type: 'CascadeFailed',
      message: 'flagship gpt-4o unavailable: ProviderUnavailable: 503',
    });
  });
});
