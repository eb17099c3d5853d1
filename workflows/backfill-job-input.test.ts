import { ApplicationFailure } from '@temporalio/common';
import { parseBackfillJob } from './backfill-job-input';

describe('parseBackfillJob', () => {
  it('returns a valid job as given', () => {
    const job = { jobId: 'job-1', source: { kind: 'jsonl', path: 'r.jsonl' }, route: 'tickets', concurrency: 4 };
    expect(parseBackfillJob(job)).toEqual(job);
  });

  it('fails a bad job for good as InvalidCascadeRequest, naming each bad field', () => {
    let failure: unknown;
    try {
      parseBackfillJob({ jobId: 'bad id', source: { kind: 'jsonl' }, route: 'tickets', concurrency: 0 });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'InvalidCascadeRequest', nonRetryable: true });
    expect((failure as ApplicationFailure).message).toMatch(/^invalid back-fill job: jobId: .*; concurrency: /);
  });
});
