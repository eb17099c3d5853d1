import { buildGroupedReport, groupValueOf, parseGroupKeys } from './grouped-report';
import type { ReportedCascade } from './reported-cascade';
import { reportedCascade as cascade } from './reported-cascade.fixture';

const escalated = (reason: string, overrides: Partial<ReportedCascade> = {}) =>
  cascade({
    outcome: 'escalated',
    escalationReason: reason,
    answerTier: 'flagship',
    costUsd: 0.011,
    flagshipOnlyUsd: 0.01,
    ...overrides,
  });
const failed = (overrides: Partial<ReportedCascade> = {}) =>
  cascade({
    outcome: 'failed',
    escalationReason: 'json_invalid',
    failureType: 'ProviderUnavailable',
    costUsd: 0.001,
    flagshipOnlyUsd: 0,
    ...overrides,
    answerTier: undefined,
  });

describe('parseGroupKeys', () => {
  it('reads a comma list, ignoring spaces and repeats', () => {
    expect(parseGroupKeys('route, tier,route')).toEqual(['route', 'tier']);
    expect(parseGroupKeys('')).toEqual([]);
  });

  it('names every unknown key and the known ones', () => {
    expect(() => parseGroupKeys('route,models,day')).toThrow(
      '--by: unknown grouping keys "models", "day"; use any of route, customer, tier, reason, outcome, model',
    );
    expect(() => parseGroupKeys('Route')).toThrow(expect.objectContaining({ type: 'InvalidReportOptions' }));
  });
});

describe('groupValueOf', () => {
  it('groups failures under tier none, an accepted request under reason accepted, a missing customer under none', () => {
    expect(groupValueOf(failed(), 'tier')).toBe('none');
    expect(groupValueOf(escalated('refusal'), 'tier')).toBe('flagship');
    expect(groupValueOf(cascade({}), 'reason')).toBe('accepted');
    expect(groupValueOf(failed(), 'reason')).toBe('json_invalid');
    expect(groupValueOf(failed({ escalationReason: undefined }), 'reason')).toBe('none');
    expect(groupValueOf(cascade({}), 'customer')).toBe('none');
    expect(groupValueOf(cascade({ customer: 'acme' }), 'customer')).toBe('acme');
  });
});

describe('the outcomes of traffic control', () => {
  const preRouted = (reason: string) =>
    cascade({ outcome: 'pre_routed', escalationReason: reason, answerTier: 'flagship', answerModel: 'gpt-4o' });
  const cascades = [
    cascade({ answerModel: 'gpt-4o-mini' }),
    cascade({ answerModel: 'claude-haiku' }),
    cascade({ answerModel: 'claude-haiku' }),
    escalated('refusal', { answerModel: 'gpt-4o' }),
    preRouted('context_window'),
    preRouted('rule: legal'),
    cascade({ outcome: 'cheap_only', answerModel: 'gpt-4o-mini' }),
    cascade({
      outcome: 'refused',
      escalationReason: 'budget_exceeded',
      answerTier: undefined,
      costUsd: 0,
      flagshipOnlyUsd: 0,
    }),
    failed(),
  ];

  it('groups by outcome and by answering model, failures and refusals under none', () => {
    expect(groupValueOf(cascades[7]!, 'model')).toBe('none');
    expect(groupValueOf(cascade({}), 'model')).toBe('unknown');
    const byModel = buildGroupedReport({ cascades, by: ['model'] });
    expect(byModel.groups.map((group) => [group.key.model, group.requests])).toEqual([
      ['gpt-4o', 3],
      ['claude-haiku', 2],
      ['gpt-4o-mini', 2],
      ['none', 2],
    ]);
    const byOutcome = buildGroupedReport({ cascades, by: ['outcome'] });
    expect(Object.fromEntries(byOutcome.groups.map((group) => [group.key.outcome, group.requests]))).toEqual({
      accepted: 3,
      pre_routed: 2,
      escalated: 1,
      cheap_only: 1,
      refused: 1,
      failed: 1,
    });
  });

  it('counts pre-routed, cheap-only and refused requests apart from the escalations the gate decided', () => {
    const { total } = buildGroupedReport({ cascades, by: [] });
    expect(total).toMatchObject({
      requests: 9,
      preRouted: 2,
      preRoutedByReason: { context_window: 1, 'rule: legal': 1 },
      cheapOnly: 1,
      refused: 1,
      // The refusal escalated nothing, nor did pre-routing: the gate's escalations are the refusal's and the failure's.
      escalations: 2,
      escalationsByReason: { refusal: 1, json_invalid: 1 },
    });
  });
});

describe('buildGroupedReport', () => {
  const cascades = [
    cascade({ customer: 'acme', latencyMs: 100 }),
    cascade({ customer: 'acme', latencyMs: 300, judgeUsd: 0.0002, costUsd: 0.0012 }),
    cascade({ customer: 'globex', latencyMs: 200 }),
    escalated('json_invalid', { customer: 'acme', latencyMs: 1500 }),
    escalated('refusal', { route: 'triage', latencyMs: 2500 }),
    failed({ route: 'triage', latencyMs: 4000 }),
  ];

  it('computes the total: acceptance, escalations by reason, failures by type, costs, saving, judge cost', () => {
    const { total, groups } = buildGroupedReport({ cascades, by: [] });
    expect(groups).toEqual([]);
    expect(total).toMatchObject({ requests: 6, accepted: 3, escalated: 2, failed: 1, escalations: 3 });
    expect(total.acceptedShare).toBeCloseTo(0.5, 12);
    expect(total.escalationRate).toBeCloseTo(0.5, 12);
    expect(total.escalationsByReason).toEqual({ json_invalid: 2, refusal: 1 });
    expect(total.failuresByType).toEqual({ ProviderUnavailable: 1 });
    expect(total.cascadeCostUsd).toBeCloseTo(0.001 + 0.0012 + 0.001 + 0.011 + 0.011 + 0.001, 12);
    expect(total.flagshipOnlyCostUsd).toBeCloseTo(0.05, 12);
    expect(total.savingUsd).toBeCloseTo(0.05 - 0.0262, 12);
    expect(total.savingsPct).toBeCloseTo(((0.05 - 0.0262) / 0.05) * 100, 9);
    expect(total.judgeCostUsd).toBeCloseTo(0.0002, 12);
    expect(total).not.toHaveProperty('accuracy');
  });

  it('gives latency percentiles per path', () => {
    const { total } = buildGroupedReport({ cascades, by: [] });
    // p95 of 100, 200 and 300 ms: nine tenths of the way from 200 to 300.
    expect(total.latency.accepted).toEqual({ count: 3, p50Ms: 200, p95Ms: 290 });
    expect(total.latency.escalated).toEqual({ count: 2, p50Ms: 2000, p95Ms: 2450 });
    expect(total.latency.failed).toEqual({ count: 1, p50Ms: 4000, p95Ms: 4000 });
  });

  it('groups by one key, most requests first, each with its own figures', () => {
    const { groups } = buildGroupedReport({ cascades, by: ['route'] });
    expect(groups.map((group) => [group.key, group.requests])).toEqual([
      [{ route: 'faq' }, 4],
      [{ route: 'triage' }, 2],
    ]);
    const triage = groups[1]!;
    expect(triage).toMatchObject({
      accepted: 0,
      escalated: 1,
      failed: 1,
      escalations: 2,
      escalationRate: 1,
      acceptedShare: 0,
    });
    expect(triage.escalationsByReason).toEqual({ refusal: 1, json_invalid: 1 });
    expect(triage.latency.accepted).toEqual({ count: 0, p50Ms: undefined, p95Ms: undefined });
    expect(triage.flagshipOnlyCostUsd).toBeCloseTo(0.01, 12);
  });

  it('groups by several keys at once, by the answering tier and the reason', () => {
    const { groups } = buildGroupedReport({ cascades, by: ['tier', 'reason'] });
    expect(groups.map((group) => [group.key, group.requests])).toEqual([
      [{ tier: 'cheap', reason: 'accepted' }, 3],
      [{ tier: 'flagship', reason: 'json_invalid' }, 1],
      [{ tier: 'flagship', reason: 'refusal' }, 1],
      [{ tier: 'none', reason: 'json_invalid' }, 1],
    ]);
    expect(groups.reduce((total, group) => total + group.requests, 0)).toBe(cascades.length);
  });

  it('groups by customer, with the untagged ones together', () => {
    const { groups } = buildGroupedReport({ cascades, by: ['customer'] });
    expect(Object.fromEntries(groups.map((group) => [group.key.customer, group.requests]))).toEqual({
      acme: 3,
      none: 2,
      globex: 1,
    });
    expect(groups.find((group) => group.key.customer === 'acme')!.judgeCostUsd).toBeCloseTo(0.0002, 12);
  });

  it('shows a flagship-only route as requests sent to the flagship under their own reason, saving nothing', () => {
    const direct = (overrides: Partial<ReportedCascade> = {}) =>
      escalated('direct_to_flagship', { route: 'exam', costUsd: 0.01, flagshipOnlyUsd: 0.01, ...overrides });
    const { total, groups } = buildGroupedReport({
      cascades: [direct(), direct(), cascade({}), escalated('refusal')],
      by: ['route', 'reason'],
    });
    expect(total.escalationsByReason).toEqual({ direct_to_flagship: 2, refusal: 1 });
    const exam = groups.find((group) => group.key.route === 'exam')!;
    expect(exam).toMatchObject({
      key: { route: 'exam', reason: 'direct_to_flagship' },
      requests: 2,
      accepted: 0,
      escalated: 2,
      escalationRate: 1,
      failed: 0,
      savingUsd: 0,
      savingsPct: 0,
    });
    expect(exam.cascadeCostUsd).toBeCloseTo(exam.flagshipOnlyCostUsd, 12);
  });

  it('reports nothing read as zeros, not as NaN', () => {
    const { total } = buildGroupedReport({ cascades: [], by: ['route'] });
    expect(total).toMatchObject({ requests: 0, acceptedShare: 0, escalationRate: 0, savingsPct: 0, judgeCostUsd: 0 });
  });
});
