import { ApplicationFailure } from '@temporalio/common';
import { backfillJobInputSchema, type BackfillJobInput } from '../contracts/backfill/backfill-job';
import { describeIssues } from '../contracts/cascade/cascade-request';
import { failureTypes } from '../contracts/failure-types';

/** The job's input, checked: a bad one fails the job for good with `InvalidCascadeRequest`, naming each bad field. */
export function parseBackfillJob(rawInput: unknown): BackfillJobInput {
  const parsed = backfillJobInputSchema.safeParse(rawInput);
  if (!parsed.success) {
    throw ApplicationFailure.create({
      type: failureTypes.invalidRequest,
      message: `invalid back-fill job: ${describeIssues(parsed.error)}`,
      nonRetryable: true,
    });
  }
  return parsed.data;
}
