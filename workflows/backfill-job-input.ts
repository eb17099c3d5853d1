import { backfillJobInputSchema, type BackfillJobInput } from '../contracts/backfill/backfill-job';
import { parseWorkflowInput } from './parse-workflow-input';

/** The job's input, checked: a bad one fails the job for good with `InvalidCascadeRequest`, naming each bad field. */
export function parseBackfillJob(rawInput: unknown): BackfillJobInput {
  return parseWorkflowInput({ schema: backfillJobInputSchema, rawInput, what: 'back-fill job' });
}
