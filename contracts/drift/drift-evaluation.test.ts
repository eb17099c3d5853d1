import { evaluateDrift, type MeasuredWindow } from './drift-evaluation';
import type { DriftThresholds } from './drift-check';

const thresholds: DriftThresholds = { baselineEscalationRate: 0.2, maxDriftPoints: 10, minRequests: 50 };

function window(change: Partial<MeasuredWindow> = {}): MeasuredWindow {
  return { requests: 200, escalations: 40, cascadeCostUsd: 4, flagshipOnlyCostUsd: 10, ...change };
}

describe('evaluateDrift', () => {
  it('is ok within the band, with every figure and a one-line message', () => {
    const evaluation = evaluateDrift({
      route: 'tickets',
      measured: window({ escalations: 50 }),
      thresholds: { ...thresholds, maxCostShare: 0.8 },
    });
    expect(evaluation.status).toBe('ok');
    expect(evaluation.alerts).toEqual([]);
    expect(evaluation.figures).toEqual({
      requests: 200,
      escalations: 50,
      escalationRate: 0.25,
      baselineEscalationRate: 0.2,
      driftPoints: 5,
      maxDriftPoints: 10,
      cascadeCostUsd: 4,
      flagshipOnlyCostUsd: 10,
      costShare: 0.4,
      maxCostShare: 0.8,
      minRequests: 50,
    });
    expect(evaluation.message).toBe(
      'tickets: ok · escalation rate 25% (baseline 20%, +5 points, limit ±10) · cost 40% of flagship-only (limit 80%) · 200 requests',
    );
    expect(evaluation.message).not.toContain('\n');
  });

  it('alerts when the rate drifts up by more than the limit', () => {
    const evaluation = evaluateDrift({ route: 'tickets', measured: window({ escalations: 124 }), thresholds });
    expect(evaluation.status).toBe('alert');
    expect(evaluation.alerts).toEqual([
      {
        kind: 'escalation_rate_drift',
        direction: 'up',
        escalationRate: 0.62,
        baselineEscalationRate: 0.2,
        driftPoints: 42,
        maxDriftPoints: 10,
        message:
          'tickets: escalation rate drifted up to 62% from a baseline of 20% (+42 points, limit ±10) over 200 requests',
      },
    ]);
    expect(evaluation.message).toMatch(/^tickets: ALERT escalation rate drifted up · escalation rate 62% /);
  });

  it('alerts when the rate drifts down: a gate that stopped escalating may be passing bad answers', () => {
    const evaluation = evaluateDrift({ route: 'faq', measured: window({ escalations: 4 }), thresholds });
    expect(evaluation.status).toBe('alert');
    expect(evaluation.alerts).toHaveLength(1);
    expect(evaluation.alerts[0]).toMatchObject({ kind: 'escalation_rate_drift', direction: 'down', driftPoints: -18 });
  });

  it.each([
    // In binary, 0.4 - 0.3 is 0.10000000000000003: without rounding these would alert.
    ['exactly at +10 points', 0.3, 0.4, 'ok'],
    ['exactly at -10 points', 0.4, 0.3, 'ok'],
    ['just past +10 points', 0.3, 0.4005, 'alert'],
  ])('treats a rate %s as %s (no float noise)', (_label, baseline, rate, status) => {
    const evaluation = evaluateDrift({
      route: 'tickets',
      measured: window({ requests: 10_000, escalations: Math.round(rate * 10_000) }),
      thresholds: { ...thresholds, baselineEscalationRate: baseline },
    });
    expect(evaluation.status).toBe(status);
  });

  it('alerts when the cascade costs more than the allowed share of flagship-only, even within the rate band', () => {
    const evaluation = evaluateDrift({
      route: 'tickets',
      measured: window({ escalations: 40, cascadeCostUsd: 9.5 }),
      thresholds: { ...thresholds, maxCostShare: 0.9 },
    });
    expect(evaluation.status).toBe('alert');
    expect(evaluation.alerts).toEqual([
      {
        kind: 'cost_share_exceeded',
        costShare: 0.95,
        maxCostShare: 0.9,
        message: 'tickets: the cascade cost 95% of flagship-only (limit 90%) over 200 requests',
      },
    ]);
    expect(evaluation.message).toContain('ALERT cost share exceeded');
  });

  it('raises both alerts at once', () => {
    const evaluation = evaluateDrift({
      route: 'tickets',
      measured: window({ escalations: 180, cascadeCostUsd: 11 }),
      thresholds: { ...thresholds, maxCostShare: 1 },
    });
    expect(evaluation.alerts.map((alert) => alert.kind)).toEqual(['escalation_rate_drift', 'cost_share_exceeded']);
    expect(evaluation.message).toContain('ALERT escalation rate drifted up, cost share exceeded');
  });

  it('checks no cost share without a limit, and none without a flagship-only cost', () => {
    expect(evaluateDrift({ route: 'tickets', measured: window({ cascadeCostUsd: 50 }), thresholds }).status).toBe('ok');
    const unpriced = evaluateDrift({
      route: 'tickets',
      measured: window({ cascadeCostUsd: 0, flagshipOnlyCostUsd: 0 }),
      thresholds: { ...thresholds, maxCostShare: 0.5 },
    });
    expect(unpriced.status).toBe('ok');
    expect(unpriced.figures.costShare).toBeUndefined();
    expect(unpriced.message).toContain('cost share unknown (no flagship-only cost)');
  });

  it('alerts when the flagship agrees with fewer accepted answers than the canary floor, once there are enough comparisons', () => {
    const floor = { ...thresholds, minCanaryAgreement: 0.9 };
    const low = evaluateDrift({
      route: 'tickets',
      measured: window({ canaryCompared: 60, canaryAgreed: 48 }),
      thresholds: floor,
    });
    expect(low.status).toBe('alert');
    expect(low.alerts).toEqual([
      {
        kind: 'canary_agreement_low',
        canaryAgreement: 0.8,
        minCanaryAgreement: 0.9,
        canaryCompared: 60,
        message:
          'tickets: the flagship agreed with 80% of the accepted answers the canary compared (floor 90%) over 60 comparisons',
      },
    ]);
    expect(low.message).toContain('ALERT canary agreement low');
    // Exactly at the floor is within it; too few comparisons are not judged; without a floor nothing is checked.
    expect(
      evaluateDrift({ route: 'tickets', measured: window({ canaryCompared: 60, canaryAgreed: 54 }), thresholds: floor })
        .status,
    ).toBe('ok');
    const few = evaluateDrift({
      route: 'tickets',
      measured: window({ canaryCompared: 10, canaryAgreed: 1 }),
      thresholds: floor,
    });
    expect(few.status).toBe('ok');
    expect(few.message).toContain('canary agreement 10% of 10 (floor 90%, 50 needed to judge)');
    expect(
      evaluateDrift({ route: 'tickets', measured: window({ canaryCompared: 60, canaryAgreed: 1 }), thresholds }).status,
    ).toBe('ok');
  });

  it('judges nothing below the minimum of requests, however far the rate is', () => {
    const evaluation = evaluateDrift({
      route: 'tickets',
      measured: window({ requests: 12, escalations: 12, cascadeCostUsd: 20 }),
      thresholds: { ...thresholds, maxCostShare: 0.5 },
    });
    expect(evaluation.status).toBe('insufficient_data');
    expect(evaluation.alerts).toEqual([]);
    expect(evaluation.figures.escalationRate).toBe(1);
    expect(evaluation.message).toBe(
      'tickets: insufficient data · 12 answered cascades in the window, 50 needed to judge',
    );
  });

  it('says so when the window holds no cascade at all (a misspelt route looks like this), with no fake rate', () => {
    const evaluation = evaluateDrift({
      route: 'tikets',
      measured: window({ requests: 0, escalations: 0, cascadeCostUsd: 0, flagshipOnlyCostUsd: 0 }),
      thresholds,
    });
    expect(evaluation.status).toBe('insufficient_data');
    expect(evaluation.figures.escalationRate).toBeUndefined();
    expect(evaluation.figures.driftPoints).toBeUndefined();
    expect(evaluation.message).toBe(
      'tikets: insufficient data · no answered cascades in the window, 50 needed to judge',
    );
  });

  it('says why a flagship-only route has no cascades to judge, instead of alerting on its 100% "escalation" rate', () => {
    const evaluation = evaluateDrift({
      route: 'tickets',
      measured: window({
        requests: 0,
        escalations: 0,
        cascadeCostUsd: 0,
        flagshipOnlyCostUsd: 0,
        directToFlagship: 120,
      }),
      thresholds: { ...thresholds, maxCostShare: 0.8 },
    });
    expect(evaluation.status).toBe('insufficient_data');
    expect(evaluation.alerts).toEqual([]);
    expect(evaluation.message).toBe(
      'tickets: insufficient data · no answered cascades in the window (and 120 sent straight to the flagship: the route is flagship-only), 50 needed to judge',
    );
  });

  it('needs 30 requests when the thresholds name no minimum', () => {
    const { minRequests: _minRequests, ...withoutMinimum } = thresholds;
    expect(
      evaluateDrift({
        route: 'tickets',
        measured: window({ requests: 29, escalations: 5 }),
        thresholds: withoutMinimum,
      }).status,
    ).toBe('insufficient_data');
    expect(
      evaluateDrift({
        route: 'tickets',
        measured: window({ requests: 30, escalations: 6 }),
        thresholds: withoutMinimum,
      }).status,
    ).toBe('ok');
  });

  it('survives a JSON round trip unchanged (it travels through workflow history)', () => {
    const evaluation = evaluateDrift({
      route: 'tickets',
      measured: window({ escalations: 124 }),
      thresholds: { ...thresholds, maxCostShare: 0.3 },
    });
    expect(JSON.parse(JSON.stringify(evaluation))).toEqual(evaluation);
  });
});
