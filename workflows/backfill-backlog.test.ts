import type { BackfillJobInput, FinishedRequest } from '../contracts/backfill/backfill-job';
import { Backlog, defaultPageSize } from './backfill-backlog';
import { firstRunState } from './backfill-carried-state';

const job: BackfillJobInput = {
  jobId: 'job-1',
  source: { kind: 'jsonl', path: 'requests.jsonl' },
  route: 'tickets',
  concurrency: 2,
};

function backlogOf(overrides: Partial<BackfillJobInput> = {}) {
  const state = firstRunState({ startedAt: new Date('2026-12-01T00:00:00Z') });
  const unreadable: FinishedRequest[] = [];
  const backlog = new Backlog({
    job: { ...job, ...overrides },
    state,
    onUnreadable: (finished) => unreadable.push(finished),
  });
  return { backlog, state, unreadable };
}

const queued = (requestId: string) => ({ requestId, request: { messages: [] } });

describe('Backlog', () => {
  it('reads the first page from the start, at the default page size', () => {
    const { backlog } = backlogOf();
    expect(backlog.needsPage()).toBe(true);
    expect(backlog.nextPageQuery()).toEqual({ source: job.source, limit: defaultPageSize });
  });

  it('queues a page, counts its rows, fails its unreadable rows and reads on from its cursor', () => {
    const { backlog, state, unreadable } = backlogOf({ pageSize: 3, onlyRequestIds: ['a', 'b'] });
    backlog.take({
      requests: [queued('a'), queued('b')],
      unreadable: [
        { rowKey: 'line 3', reason: 'not JSON' },
        { rowKey: 'line 4', requestId: 'd', reason: 'no messages' },
      ],
      nextCursor: '4',
    });
    expect(state.counters.read).toBe(4);
    expect(unreadable.map((finished) => [finished.requestId, finished.failureType, finished.failureReason])).toEqual([
      ['line 3', 'InvalidCascadeRequest', 'line 3: not JSON'],
      ['d', 'InvalidCascadeRequest', 'line 4: no messages'],
    ]);
    expect(backlog.nextPageQuery()).toEqual({ source: job.source, cursor: '4', limit: 3, onlyRequestIds: ['a', 'b'] });
    // Two wait for a concurrency of two: no page until one starts.
    expect(backlog.needsPage()).toBe(false);
    expect(backlog.next().requestId).toBe('a');
    expect(backlog.needsPage()).toBe(true);
  });

  it('reads no more once a page ends the source, and refuses a request when none waits', () => {
    const { backlog, state } = backlogOf();
    backlog.take({ requests: [queued('a')], unreadable: [], nextCursor: undefined });
    expect(state.sourceDrained).toBe(true);
    expect(backlog.sourceDrained).toBe(true);
    expect(backlog.needsPage()).toBe(false);
    expect(backlog.isEmpty).toBe(false);
    backlog.next();
    expect(backlog.isEmpty).toBe(true);
    expect(() => backlog.next()).toThrow('Backlog is empty');
  });
});
