import type { CascadeRecord } from './cascade-record';
import { summarizeCascades } from './summarize-cascades';
import { renderSummaryTable } from './summary-table';

const record = (overrides: Partial<CascadeRecord>): CascadeRecord => ({
  route: 'faq',
  outcome: 'accepted',
  costUsd: 0.001,
  flagshipOnlyUsd: 0.01,
  latencyMs: 100,
  ...overrides,
});

describe('summarizeCascades', () => {
  it('counts outcomes, escalations by reason, failures by type, costs and the saving', () => {
    const summary = summarizeCascades([
      record({}),
      record({}),
      record({ outcome: 'escalated', escalationReason: 'json_invalid', costUsd: 0.011, flagshipOnlyUsd: 0.01 }),
      record({ outcome: 'escalated', escalationReason: 'refusal', costUsd: 0.012, flagshipOnlyUsd: 0.011 }),
      record({
        outcome: 'failed',
        escalationReason: 'json_invalid',
        failureType: 'CascadeFailed',
        costUsd: 0.001,
        flagshipOnlyUsd: 0,
      }),
    ]);
    expect(summary).toMatchObject({ requests: 5, accepted: 2, escalated: 2, failed: 1, escalations: 3 });
    expect(summary.escalationRate).toBeCloseTo(0.6);
    expect(summary.escalationsByReason).toEqual({ json_invalid: 2, refusal: 1 });
    expect(summary.failuresByType).toEqual({ CascadeFailed: 1 });
    expect(summary.cascadeCostUsd).toBeCloseTo(0.026, 12);
    expect(summary.flagshipOnlyCostUsd).toBeCloseTo(0.041, 12);
    expect(summary.savingsPct).toBeCloseTo((0.015 / 0.041) * 100, 9);
    expect(summary.accuracy).toBeUndefined();
  });

  it('reports a negative saving when the cascade costs more than the flagship alone', () => {
    const summary = summarizeCascades([
      record({ outcome: 'escalated', escalationReason: 'refusal', costUsd: 0.02, flagshipOnlyUsd: 0.015 }),
    ]);
    expect(summary.savingsPct).toBeCloseTo(-33.333, 2);
  });

  it('gives latency percentiles per path', () => {
    const latencies = Array.from({ length: 20 }, (_unused, index) => (index + 1) * 10);
    const summary = summarizeCascades([
      ...latencies.map((latencyMs) => record({ latencyMs })),
      record({ outcome: 'failed', failureType: 'CascadeFailed', latencyMs: 7 }),
    ]);
    // Interpolated between neighbours at rank (n - 1) × p: 9.5 gives 105 ms, 18.05 gives 190.5 ms.
    expect(summary.latency.accepted).toEqual({ count: 20, p50Ms: 105, p95Ms: 190.5 });
    expect(summary.latency.escalated).toEqual({ count: 0, p50Ms: undefined, p95Ms: undefined });
    expect(summary.latency.failed).toEqual({ count: 1, p50Ms: 7, p95Ms: 7 });
  });

  it('measures accuracy over the labelled records only', () => {
    const summary = summarizeCascades([
      record({ correct: true, cheapCorrect: true, flagshipCorrect: true }),
      record({
        outcome: 'escalated',
        escalationReason: 'pattern_missing',
        correct: true,
        cheapCorrect: false,
        flagshipCorrect: true,
      }),
      record({ correct: false, cheapCorrect: false, flagshipCorrect: true }),
      record({}),
    ]);
    expect(summary.accuracy).toEqual({ labelled: 3, cheapOnly: 1 / 3, flagshipOnly: 1, cascade: 2 / 3 });
  });

  it('handles no records', () => {
    expect(summarizeCascades([])).toMatchObject({ requests: 0, escalationRate: 0, savingsPct: 0 });
  });
});

describe('renderSummaryTable', () => {
  it('shows every figure a team asks for, with one row per reason and per route', () => {
    const summary = summarizeCascades([
      record({}),
      record({ outcome: 'escalated', escalationReason: 'refusal', costUsd: 0.012, flagshipOnlyUsd: 0.011 }),
    ]);
    const table = renderSummaryTable(summary, { title: 'demo', routes: { faq: summary } });
    expect(table).toMatch(/escalated to the flagship +1 \(50\.0%\)/);
    expect(table).toMatch(/ {2}refusal +1/);
    expect(table).toContain('flagship-only cost');
    expect(table).toMatch(/latency accepted p50 \/ p95 +100 ms \/ 100 ms/);
    expect(table).toMatch(/^faq +2 +1 +1 +0/m);
  });
});
