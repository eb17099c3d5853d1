import { ApplicationFailure, ChildWorkflowFailure } from '@temporalio/common';
import { finishedFromFailure } from './backfill-outcome';

describe('finishedFromFailure', () => {
  it("reads the type, message and spent cost from a child's application failure", () => {
    const cause = ApplicationFailure.create({
      type: 'CascadeFailed',
      message: 'the flagship tier gave no answer: ProviderRequestRejected',
      details: [{ escalationReason: 'refusal', cost: { totalUsd: 0.002, judgeUsd: 0.0001 } }],
    });
    const failure = new ChildWorkflowFailure('default', { workflowId: 'w', runId: 'r' }, 'cascade', 0 as never, cause);
    expect(finishedFromFailure('ticket-1', 'w', failure)).toEqual({
      requestId: 'ticket-1',
      workflowId: 'w',
      outcome: 'failed',
      escalationReason: 'refusal',
      failureType: 'CascadeFailed',
      failureReason: 'the flagship tier gave no answer: ProviderRequestRejected',
      costUsd: 0.002,
      flagshipOnlyUsd: 0,
      judgeUsd: 0.0001,
    });
  });

  it("reads a budget's refusal as its own outcome", () => {
    const cause = ApplicationFailure.create({
      type: 'BudgetExceeded',
      message: 'budget customer acme, day is at its hard cap',
      nonRetryable: true,
      details: [{ refused: true, cost: { totalUsd: 0, judgeUsd: 0 } }],
    });
    const failure = new ChildWorkflowFailure('default', { workflowId: 'w', runId: 'r' }, 'cascade', 0 as never, cause);
    expect(finishedFromFailure('ticket-3', 'w', failure)).toMatchObject({
      outcome: 'refused',
      failureType: 'BudgetExceeded',
      costUsd: 0,
    });
    const heldToCheap = ApplicationFailure.create({ type: 'BudgetExceeded', message: 'no escalation', details: [{}] });
    expect(finishedFromFailure('ticket-4', 'w', heldToCheap)).toMatchObject({ outcome: 'failed' });
  });

  it('falls back to the error name for a failure without an application cause', () => {
    const finished = finishedFromFailure('ticket-2', 'w2', new TypeError('boom'));
    expect(finished).toMatchObject({ outcome: 'failed', failureType: 'TypeError', failureReason: 'boom', costUsd: 0 });
  });
});
