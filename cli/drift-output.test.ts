import type { EscalationDriftCheckInput, RecentCascades } from '../contracts/drift/drift-check';
import { evaluateDrift } from '../contracts/drift/drift-evaluation';
import { describeCheckResult, describeSchedule, renderScheduleTable } from './drift-output';

const check: EscalationDriftCheckInput = {
  route: 'tickets',
  windowMs: 86_400_000,
  thresholds: { baselineEscalationRate: 0.2, maxDriftPoints: 10, maxCostShare: 0.8, minRequests: 30 },
};
const window: RecentCascades = {
  route: 'tickets',
  since: '2025-06-01T00:00:00.000Z',
  until: '2025-06-02T00:00:00.000Z',
  requests: 100,
  escalations: 60,
  cascadeCostUsd: 0.5,
  flagshipOnlyCostUsd: 1,
  failures: 2,
  backfillCascades: 0,
};

describe('drift command output', () => {
  it('describes a schedule in one line', () => {
    expect(
      describeSchedule({
        scheduleId: 'cascade-drift-tickets',
        created: false,
        everyMs: 3_600_000,
        taskQueue: 'cascade',
        check,
        paused: true,
      }),
    ).toBe(
      'updated schedule cascade-drift-tickets (paused): every 1h, checks the last 1d of route tickets on task queue cascade · baseline 20% ±10 points, cost ≤ 80% of flagship-only, min 30 requests',
    );
  });

  it('reports a check: the line, the window, what was not counted, the alerts and where they went', () => {
    const evaluation = evaluateDrift({ route: 'tickets', measured: window, thresholds: check.thresholds });
    const text = describeCheckResult({
      ...evaluation,
      window,
      alertDelivery: { webhook: 'not_configured' },
      workflowId: 'cascade-drift-tickets-check-1',
    });
    expect(text.split('\n')).toEqual([
      evaluation.message,
      '',
      'window 2025-06-01T00:00:00.000Z → 2025-06-02T00:00:00.000Z',
      '100 answered cascades, 60 escalated · cascade $0.5000 against flagship-only $1.0000',
      'not counted: 2 failed, 0 from back-fill jobs',
      'alert: tickets: escalation rate drifted up to 60% from a baseline of 20% (+40 points, limit ±10) over 100 requests',
      'alert logged at error level (the worker has no CASCADE_ALERT_WEBHOOK_URL)',
      'workflow cascade-drift-tickets-check-1',
    ]);
  });

  it('names the requests of a flagship-only route among those not counted', () => {
    const direct: RecentCascades = {
      ...window,
      requests: 0,
      escalations: 0,
      cascadeCostUsd: 0,
      flagshipOnlyCostUsd: 0,
      failures: 0,
      directToFlagship: 40,
    };
    const evaluation = evaluateDrift({ route: 'tickets', measured: direct, thresholds: check.thresholds });
    const text = describeCheckResult({ ...evaluation, window: direct, workflowId: 'cascade-drift-tickets-check-2' });
    expect(evaluation.status).toBe('insufficient_data');
    expect(text.split('\n')).toContain(
      'not counted: 0 failed, 0 from back-fill jobs, 40 sent straight to the flagship (flagship-only route)',
    );
  });

  it('lists schedules as a table', () => {
    const table = renderScheduleTable([
      {
        scheduleId: 'cascade-drift-tickets',
        route: 'tickets',
        everyMs: 3_600_000,
        taskQueue: 'cascade',
        check,
        paused: false,
        recentRuns: [{ workflowId: 'w', takenAt: '2025-06-01T10:00:00.000Z' }],
        nextRunAt: '2025-06-01T11:00:00.000Z',
      },
      {
        scheduleId: 'cascade-drift-legacy',
        route: 'legacy',
        everyMs: undefined,
        taskQueue: undefined,
        check: undefined,
        paused: true,
        note: 'on hold',
        recentRuns: [],
      },
    ]).split('\n');
    expect(table[0]).toMatch(/^route\s+every\s+window\s+thresholds\s+state\s+last run\s+next run$/);
    expect(table[1]).toMatch(
      /^tickets\s+1h\s+1d\s+baseline 20% ±10 points, cost ≤ 80% of flagship-only, min 30 requests\s+active\s+2025-06-01T10:00:00.000Z\s+2025-06-01T11:00:00.000Z$/,
    );
    expect(table[2]).toMatch(/^legacy\s+-\s+-\s+\(not a drift check\)\s+paused \(on hold\)\s+-\s+-$/);
  });
});
