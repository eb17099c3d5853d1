import type { BackfillJobInput } from '../contracts/backfill/backfill-job';
import { firstRunState } from './backfill-carried-state';
import { progressLine, progressOf } from './backfill-progress';

const job: BackfillJobInput = {
  jobId: 'job-1',
  source: { kind: 'jsonl', path: 'r.jsonl' },
  route: 'tickets',
  concurrency: 4,
};
const state = firstRunState({ startedAt: new Date('2026-12-01T10:00:00Z') });

describe('progressOf', () => {
  it('leaves out the total and the rate when the job has none', () => {
    const progress = progressOf({ job, state, inFlight: 2, status: 'running' });
    expect(progress).toEqual({
      jobId: 'job-1',
      route: 'tickets',
      status: 'running',
      inFlight: 2,
      concurrency: 4,
      counters: state.counters,
      failures: [],
      failuresNotListed: 0,
      startedAt: '2026-12-01T10:00:00.000Z',
      runs: 1,
    });
  });

  it('reports the total and the rate when known', () => {
    const progress = progressOf({
      job: { ...job, ratePerSecond: 5 },
      state: { ...state, total: 40 },
      inFlight: 0,
      status: 'paused',
    });
    expect(progress).toMatchObject({ status: 'paused', total: 40, ratePerSecond: 5 });
  });
});

describe('progressLine', () => {
  it('names the route, the status, the counts of the total and the cost', () => {
    const counters = { ...state.counters, done: 7, escalated: 2, failed: 1, costUsd: 0.0123 };
    const progress = progressOf({ job, state: { ...state, counters, total: 10 }, inFlight: 1, status: 'running' });
    expect(progressLine(progress)).toBe('tickets · running · 7 of 10 done · 2 escalated · 1 failed · $0.0123');
    expect(progressLine({ ...progress, total: undefined })).toBe(
      'tickets · running · 7 done · 2 escalated · 1 failed · $0.0123',
    );
  });
});
