import type { WorkflowExecutionInfo } from '@temporalio/client';
import { TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import { searchAttributes } from '../../contracts/search-attributes';
import { reportedCascadeOf, visibilityQuery } from './visibility-record-reader';

const startTime = new Date('2025-06-01T10:00:00.000Z');
const closeTime = new Date('2025-06-01T10:00:01.250Z');

/** A closed execution as `client.workflow.list()` yields it, with only the fields the reader reads. */
function execution(
  status: WorkflowExecutionInfo['status']['name'],
  pairs: SearchAttributePair[],
): WorkflowExecutionInfo {
  return {
    type: 'cascade',
    workflowId: 'cascade-request-1',
    runId: 'run-1',
    status: { name: status },
    startTime,
    closeTime,
    typedSearchAttributes: new TypedSearchAttributes(pairs),
  } as unknown as WorkflowExecutionInfo;
}

describe('visibilityQuery', () => {
  const since = new Date('2025-06-01T00:00:00Z');
  const until = new Date('2025-06-08T00:00:00Z');

  it('lists closed cascade workflows in the window', () => {
    expect(visibilityQuery({ since })).toBe(
      "WorkflowType = 'cascade' AND ExecutionStatus != 'Running' AND CloseTime >= '2025-06-01T00:00:00.000Z'",
    );
  });

  it('adds the end of the window, the route and the back-fill job', () => {
    expect(visibilityQuery({ since, until, route: 'support-faq', backfillJob: 'job-7' })).toBe(
      "WorkflowType = 'cascade' AND ExecutionStatus != 'Running' AND CloseTime >= '2025-06-01T00:00:00.000Z' AND CloseTime < '2025-06-08T00:00:00.000Z' AND CascadeRoute = 'support-faq' AND CascadeBackfillJob = 'job-7'",
    );
  });

  it('refuses a filter value that would end the string literal', () => {
    expect(() => visibilityQuery({ since, route: "faq' OR WorkflowType = 'other" })).toThrow(
      /^--route must not contain quotes or backslashes/,
    );
    expect(() => visibilityQuery({ since, backfillJob: 'job\\' })).toThrow(
      expect.objectContaining({ type: 'InvalidReportOptions' }),
    );
  });
});

describe('reportedCascadeOf', () => {
  it('reads an escalated cascade from every attribute it set, latency from start to close', () => {
    const cascade = reportedCascadeOf(
      execution('COMPLETED', [
        { key: searchAttributes.route, value: 'tickets' },
        { key: searchAttributes.outcome, value: 'escalated' },
        { key: searchAttributes.escalationReason, value: 'json_invalid' },
        { key: searchAttributes.costUsd, value: 0.012 },
        { key: searchAttributes.flagshipOnlyCostUsd, value: 0.01 },
        { key: searchAttributes.judgeCostUsd, value: 0.0004 },
        { key: searchAttributes.customer, value: 'acme' },
        { key: searchAttributes.answerTier, value: 'flagship' },
        { key: searchAttributes.backfillJob, value: 'job-7' },
      ]),
    );
    expect(cascade).toEqual({
      workflowId: 'cascade-request-1',
      route: 'tickets',
      outcome: 'escalated',
      escalationReason: 'json_invalid',
      answerTier: 'flagship',
      customer: 'acme',
      backfillJob: 'job-7',
      costUsd: 0.012,
      flagshipOnlyUsd: 0.01,
      judgeUsd: 0.0004,
      latencyMs: 1250,
      startedAt: startTime,
      closedAt: closeTime,
    });
  });

  it('infers the answering tier from the outcome when the cascade did not record it', () => {
    const base = [
      { key: searchAttributes.route, value: 'tickets' },
      { key: searchAttributes.costUsd, value: 0.001 },
    ];
    expect(
      reportedCascadeOf(execution('COMPLETED', [...base, { key: searchAttributes.outcome, value: 'accepted' }])),
    ).toMatchObject({ answerTier: 'cheap', judgeUsd: 0 });
    expect(
      reportedCascadeOf(execution('COMPLETED', [...base, { key: searchAttributes.outcome, value: 'escalated' }]))
        ?.answerTier,
    ).toBe('flagship');
  });

  it('counts a failed cascade with no flagship-only cost and no answering tier', () => {
    const cascade = reportedCascadeOf(
      execution('FAILED', [
        { key: searchAttributes.route, value: 'tickets' },
        { key: searchAttributes.outcome, value: 'failed' },
        { key: searchAttributes.escalationReason, value: 'refusal' },
        { key: searchAttributes.costUsd, value: 0.001 },
      ]),
    );
    expect(cascade).toMatchObject({
      outcome: 'failed',
      escalationReason: 'refusal',
      costUsd: 0.001,
      flagshipOnlyUsd: 0,
    });
    expect(cascade).not.toHaveProperty('answerTier');
    expect(cascade).not.toHaveProperty('failureType');
  });

  it('counts a cascade that failed before recording an outcome (invalid input) as failed', () => {
    const cascade = reportedCascadeOf(execution('FAILED', [{ key: searchAttributes.route, value: 'tickets' }]));
    expect(cascade).toMatchObject({ route: 'tickets', outcome: 'failed', costUsd: 0, flagshipOnlyUsd: 0 });
    expect(cascade).not.toHaveProperty('failureType');
    expect(reportedCascadeOf(execution('FAILED', []))?.route).toBe('unknown');
  });

  it('names how a terminated or timed-out cascade ended, and skips a continued-as-new run', () => {
    expect(
      reportedCascadeOf(execution('TERMINATED', [{ key: searchAttributes.route, value: 'tickets' }])),
    ).toMatchObject({ outcome: 'failed', failureType: 'Terminated' });
    expect(reportedCascadeOf(execution('TIMED_OUT', []))).toMatchObject({ outcome: 'failed', failureType: 'TimedOut' });
    expect(reportedCascadeOf(execution('CONTINUED_AS_NEW', []))).toBeUndefined();
  });
});
