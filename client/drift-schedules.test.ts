import type { EscalationDriftCheckInput } from '../contracts/drift/drift-check';
import { driftScheduleIdOf, driftScheduleOptions } from './drift-schedules';
import { InvalidDriftCheckError } from '../operations/drift/invalid-drift-check-error';

const check: EscalationDriftCheckInput = {
  route: 'tickets',
  windowMs: 86_400_000,
  thresholds: { baselineEscalationRate: 0.2, maxDriftPoints: 10, maxCostShare: 0.8, minRequests: 50 },
};

describe('driftScheduleOptions', () => {
  it('runs escalationDriftCheck hourly on the cascade task queue, skipping overlaps', () => {
    const options = driftScheduleOptions({ check });
    expect(options).toEqual({
      scheduleId: 'cascade-drift-tickets',
      spec: { intervals: [{ every: 3_600_000 }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'escalationDriftCheck',
        args: [check],
        taskQueue: 'cascade',
        workflowId: 'cascade-drift-tickets',
        workflowExecutionTimeout: '30 minutes',
        staticSummary: 'escalation drift · tickets · every 1h over 1d',
      },
      policies: { overlap: 'SKIP', catchupWindow: 3_600_000 },
    });
  });

  it('takes the interval and task queue given, with Temporal’s smallest catch-up window for short intervals', () => {
    const options = driftScheduleOptions({ check, everyMs: 2_000, taskQueue: 'cascade-eu' });
    expect(options.spec).toEqual({ intervals: [{ every: 2_000 }] });
    expect(options.action.taskQueue).toBe('cascade-eu');
    expect(options.policies?.catchupWindow).toBe(10_000);
  });

  it.each([
    ['a route with a quote', { ...check, route: 'tickets"' }, 'route: must be a route name'],
    [
      'a baseline above 1',
      { ...check, thresholds: { ...check.thresholds, baselineEscalationRate: 20 } },
      'thresholds.baselineEscalationRate: must be a rate between 0 and 1',
    ],
    [
      'no drift allowed',
      { ...check, thresholds: { ...check.thresholds, maxDriftPoints: 0 } },
      'thresholds.maxDriftPoints: must be more than 0 percentage points',
    ],
    [
      'a negative cost share',
      { ...check, thresholds: { ...check.thresholds, maxCostShare: -1 } },
      'thresholds.maxCostShare: must be a share of more than 0',
    ],
    [
      'a fractional minimum',
      { ...check, thresholds: { ...check.thresholds, minRequests: 2.5 } },
      'thresholds.minRequests: must be a whole number',
    ],
    ['a window under a second', { ...check, windowMs: 10 }, 'windowMs: must be at least 1 second'],
    ['an unknown threshold', { ...check, thresholds: { ...check.thresholds, maxEscalations: 3 } }, 'thresholds'],
  ])('refuses %s before anything is scheduled, naming the field', (_label, bad, fragment) => {
    expect(() => driftScheduleOptions({ check: bad as EscalationDriftCheckInput })).toThrow(InvalidDriftCheckError);
    expect(() => driftScheduleOptions({ check: bad as EscalationDriftCheckInput })).toThrow(fragment);
  });

  it('refuses an interval under a second', () => {
    expect(() => driftScheduleOptions({ check, everyMs: 500 })).toThrow(
      'invalid drift schedule: every: must be at least 1 second, got 500 ms',
    );
  });

  it('names schedules by route', () => {
    expect(driftScheduleIdOf('support-faq')).toBe('cascade-drift-support-faq');
  });
});
