import { emptyCounters, type BackfillJobInput } from '../contracts/backfill/backfill-job';
import { defaultContinueAsNewAfter, firstRunState, nextRunInput, runIsFull } from './backfill-carried-state';

describe('firstRunState', () => {
  it('starts at run 1 with nothing counted, running unless asked to start paused', () => {
    const startedAt = new Date('2026-12-01T10:00:00Z');
    expect(firstRunState({ startedAt })).toEqual({
      sourceDrained: false,
      startedAt: '2026-12-01T10:00:00.000Z',
      paused: false,
      runs: 1,
      counters: emptyCounters(),
      failures: [],
      failuresNotListed: 0,
    });
    expect(firstRunState({ startedAt, startPaused: true }).paused).toBe(true);
  });
});

describe('runIsFull', () => {
  it('fills at the configured number of starts, 500 by default, or when Temporal suggests continuing as new', () => {
    expect(runIsFull({ startedThisRun: 9, continueAsNewAfter: 10, continueAsNewSuggested: false })).toBe(false);
    expect(runIsFull({ startedThisRun: 10, continueAsNewAfter: 10, continueAsNewSuggested: false })).toBe(true);
    expect(runIsFull({ startedThisRun: defaultContinueAsNewAfter - 1, continueAsNewSuggested: false })).toBe(false);
    expect(runIsFull({ startedThisRun: defaultContinueAsNewAfter, continueAsNewSuggested: false })).toBe(true);
    expect(runIsFull({ startedThisRun: 0, continueAsNewSuggested: true })).toBe(true);
  });
});

describe('nextRunInput', () => {
  it('carries the state one run further and leaves the job and the current state as they are', () => {
    const job: BackfillJobInput = {
      jobId: 'job-1',
      source: { kind: 'jsonl', path: 'requests.jsonl' },
      route: 'tickets',
      concurrency: 4,
      continueAsNewAfter: 10,
    };
    const state = { ...firstRunState({ startedAt: new Date('2026-12-01T10:00:00Z') }), cursor: '10', total: 30 };
    const next = nextRunInput(job, state);
    expect(next).toEqual({ ...job, carried: { ...state, runs: 2 } });
    expect(state.runs).toBe(1);
    expect(job.carried).toBeUndefined();
  });
});
