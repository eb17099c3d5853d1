import {
  backfillCascadeWorkflowIdOf,
  backfillJobInputSchema,
  countFinished,
  emptyCounters,
  maxListedFailures,
  type BackfillFailure,
} from './backfill-job';

describe('countFinished', () => {
  const fresh = () => ({ counters: emptyCounters(), failures: [] as BackfillFailure[], failuresNotListed: 0 });

  it('adds outcomes, costs and reasons to the totals', () => {
    const state = fresh();
    countFinished(state, { requestId: 'a', outcome: 'accepted', costUsd: 0.001, flagshipOnlyUsd: 0.01, judgeUsd: 0 });
    countFinished(state, {
      requestId: 'b',
      outcome: 'escalated',
      escalationReason: 'refusal',
      costUsd: 0.011,
      flagshipOnlyUsd: 0.01,
      judgeUsd: 0.0005,
      alreadyDone: true,
    });
    expect(state.counters).toMatchObject({
      done: 2,
      accepted: 1,
      escalated: 1,
      failed: 0,
      alreadyDone: 1,
      escalationsByReason: { refusal: 1 },
    });
    expect(state.counters.costUsd).toBeCloseTo(0.012, 12);
    expect(state.counters.flagshipOnlyUsd).toBeCloseTo(0.02, 12);
    expect(state.counters.judgeUsd).toBeCloseTo(0.0005, 12);
    expect(state.failures).toEqual([]);
  });

  it('lists a failure with its type and reason, and only counts those beyond the list', () => {
    const state = fresh();
    for (let index = 0; index < maxListedFailures + 3; index++) {
      countFinished(state, {
        requestId: `r-${index}`,
        workflowId: `w-${index}`,
        outcome: 'failed',
        failureType: 'CascadeFailed',
        failureReason: 'flagship said 400',
        costUsd: 0,
        flagshipOnlyUsd: 0,
        judgeUsd: 0,
      });
    }
    countFinished(state, { requestId: 'no-type', outcome: 'failed', costUsd: 0, flagshipOnlyUsd: 0, judgeUsd: 0 });
    expect(state.failures).toHaveLength(maxListedFailures);
    expect(state.failures[0]).toEqual({
      requestId: 'r-0',
      type: 'CascadeFailed',
      reason: 'flagship said 400',
      workflowId: 'w-0',
    });
    expect(state.failuresNotListed).toBe(4);
    expect(state.counters.failuresByType).toEqual({ CascadeFailed: maxListedFailures + 3, unknown: 1 });
    expect(state.counters.failed).toBe(maxListedFailures + 4);
  });
});

describe('back-fill job input', () => {
  const valid = {
    jobId: 'nightly-2026-11-22',
    source: { kind: 'jsonl', path: '/data/requests.jsonl' },
    route: 'tickets',
    concurrency: 8,
  };

  it('accepts a job and derives stable cascade ids from the job and the request', () => {
    expect(backfillJobInputSchema.parse(valid)).toEqual(valid);
    expect(backfillCascadeWorkflowIdOf('nightly', 'ticket-1')).toBe(backfillCascadeWorkflowIdOf('nightly', 'ticket-1'));
    expect(backfillCascadeWorkflowIdOf('nightly', 'ticket-1')).not.toBe(
      backfillCascadeWorkflowIdOf('weekly', 'ticket-1'),
    );
  });

  it.each([
    [{ ...valid, jobId: 'has space' }, 'jobId'],
    [{ ...valid, concurrency: 0 }, 'concurrency'],
    [{ ...valid, ratePerSecond: -1 }, 'ratePerSecond'],
    [{ ...valid, source: { path: '/x' } }, 'source'],
    [{ ...valid, onlyRequestIds: ['ok', ' bad'] }, 'onlyRequestIds'],
    [{ ...valid, extra: true }, 'extra'],
  ])('names the bad field: %j', (input, field) => {
    const parsed = backfillJobInputSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain(field);
  });
});
