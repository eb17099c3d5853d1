import type { z } from 'zod';
import { CascadeError } from '../contracts/cascade-error';
import { describeIssues } from '../contracts/cascade/cascade-request';
import { failureTypes } from '../contracts/failure-types';
import { toApplicationFailure } from '../contracts/to-application-failure';

export interface ParseWorkflowInputOptions<Output> {
  /** The schema the workflow's input must pass. */
  schema: z.ZodType<Output>;
  /** The input as the workflow received it. */
  rawInput: unknown;
  /** What the input is, for the message: `invalid ${what}: ...`. */
  what: string;
}

/**
 * A workflow's input, checked: a bad one fails the workflow for good with `InvalidCascadeRequest`,
 * naming each bad field.
 */
export function parseWorkflowInput<Output>(options: ParseWorkflowInputOptions<Output>): Output {
  const parsed = options.schema.safeParse(options.rawInput);
  if (!parsed.success) {
    throw toApplicationFailure(
      new CascadeError({
        type: failureTypes.invalidRequest,
        message: `invalid ${options.what}: ${describeIssues(parsed.error)}`,
      }),
    );
  }
  return parsed.data;
}
