import type { FinishedRequest } from '../contracts/backfill/backfill-job';
import { PendingOutcomes, outcomeBatchSize, outcomesPerWrite, requestOutcomeOf } from './backfill-pending-outcomes';

const finished = (requestId: string, extra: Partial<FinishedRequest> = {}): FinishedRequest => ({
  requestId,
  workflowId: `cascade-${requestId}`,
  outcome: 'accepted',
  costUsd: 0.001,
  flagshipOnlyUsd: 0.01,
  judgeUsd: 0,
  ...extra,
});

describe('requestOutcomeOf', () => {
  it('writes an accepted request without a reason', () => {
    expect(requestOutcomeOf(finished('a'))).toEqual({
      requestId: 'a',
      outcome: 'accepted',
      costUsd: 0.001,
      workflowId: 'cascade-a',
    });
  });

  it("gives an escalation's reason, and a failure's type even when it escalated first", () => {
    expect(requestOutcomeOf(finished('b', { outcome: 'escalated', escalationReason: 'json-invalid' }))).toMatchObject({
      outcome: 'escalated',
      reason: 'json-invalid',
    });
    expect(
      requestOutcomeOf(
        finished('c', { outcome: 'failed', escalationReason: 'refusal', failureType: 'ProviderRequestRejected' }),
      ),
    ).toMatchObject({ outcome: 'failed', reason: 'ProviderRequestRejected' });
  });

  it('writes an empty workflow id for a request that never became a cascade', () => {
    expect(requestOutcomeOf(finished('d', { workflowId: undefined })).workflowId).toBe('');
  });
});

describe('PendingOutcomes', () => {
  it('has a full batch once a batch of outcomes waits, and hands them out in order, a write at a time', () => {
    const pending = new PendingOutcomes();
    for (let index = 0; index < outcomeBatchSize - 1; index += 1) pending.add(finished(`r${index}`));
    expect(pending.hasFullBatch).toBe(false);
    for (let index = outcomeBatchSize - 1; index < outcomesPerWrite + 10; index += 1)
      pending.add(finished(`r${index}`));
    expect(pending.hasFullBatch).toBe(true);

    const first = pending.takeWrite();
    expect(first).toHaveLength(outcomesPerWrite);
    expect(first[0]!.requestId).toBe('r0');
    expect(pending.count).toBe(10);
    expect(pending.hasFullBatch).toBe(false);
    expect(pending.takeWrite().map((outcome) => outcome.requestId)[0]).toBe(`r${outcomesPerWrite}`);
    expect(pending.count).toBe(0);
  });
});
