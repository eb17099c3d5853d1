import { z } from 'zod';
import { chatMessageSchema } from '../../contracts/cascade/chat-message';

/** Token counts of one recorded call, as the provider reported them. */
export const recordedUsageSchema = z
  .object({
    input_tokens: z.number().int().nonnegative(),
    output_tokens: z.number().int().nonnegative(),
  })
  .strict();

/** One model's recorded answer to one prompt. */
export const recordedResponseSchema = z
  .object({
    /** The answer as the model gave it. */
    text: z.string(),
    /** Graded by the dataset's authors. */
    correct: z.boolean(),
    usage: recordedUsageSchema,
    /** What the call cost at the prices of the day it was made. */
    cost_usd: z.number().nonnegative(),
    /** Time of the call as the authors measured it. */
    latency_ms: z.number().nonnegative(),
    /** The model's own confidence, a log-probability (at most 0); `null` where none was recorded. */
    confidence: z.number().max(0).nullable(),
  })
  .strict();

/**
 * One line of a replay dataset, format v1 (see "Replay datasets" in the README): a prompt and the
 * recorded answer of each model that was asked it.
 */
export const recordedRowSchema = z
  .object({
    id: z.string().min(1),
    dataset: z.string().min(1),
    family: z.string().min(1),
    split: z.string().min(1),
    /** The models of the family, cheapest first. */
    models: z.array(z.string().min(1)).min(1),
    messages: z.array(chatMessageSchema).min(1),
    /** Recorded answers by model id; every key must be one of `models`. */
    responses: z.record(z.string(), recordedResponseSchema),
  })
  .superRefine((row, context) => {
    for (const model of Object.keys(row.responses)) {
      if (!row.models.includes(model)) {
        context.addIssue({
          code: 'custom',
          path: ['responses', model],
          message: `model "${model}" is not listed in "models"`,
        });
      }
    }
  });

export type RecordedUsage = z.infer<typeof recordedUsageSchema>;
export type RecordedResponse = z.infer<typeof recordedResponseSchema>;
export type RecordedRow = z.infer<typeof recordedRowSchema>;
