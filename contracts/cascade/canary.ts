import { z } from 'zod';
import { answerExtractorSchema } from './gate-spec';
import { modelSpecSchema } from './model-spec';
import { chatMessageSchema } from './chat-message';

/**
 * How a canary compares the cheap model's accepted answer with the flagship's: by what an extractor reads
 * of both (the choice letter, the final number, a JSON field, the folded text), or by a judge model that
 * scores whether the accepted answer agrees with the flagship's.
 */
export const canaryCompareSchema = z.union([
  answerExtractorSchema,
  z
    .object({
      kind: z.literal('judge'),
      /** The judge model; in a routes file, the name of an entry of `models`. */
      model: z.union([z.string().min(1), modelSpecSchema]),
      /** What agreeing means for this route. @default the same answer, in substance */
      rubric: z.string().min(1).optional(),
    })
    .strict(),
]);
export type CanaryCompare = z.infer<typeof canaryCompareSchema>;

/**
 * A route's canary: a deterministic `share` of its accepted requests is also asked of the flagship, in the
 * background once the answer is given, and the two answers are compared. Its spend is its own cost line
 * and stops at `maxUsdPerDay` (UTC days), held by a durable budget.
 */
export const canarySpecSchema = z
  .object({
    /** The share of accepted requests compared, above 0 and at most 1. */
    share: z.number().gt(0).max(1),
    /** The most the route's canary calls (and judges) may cost in one UTC day, in USD. */
    maxUsdPerDay: z.number().positive(),
    compare: canaryCompareSchema,
  })
  .strict();
export type CanarySpec = z.infer<typeof canarySpecSchema>;

/** What a canary found: the answers agreed or not, or no comparison (the budget was spent, the flagship failed). */
export const canaryResults = ['agreed', 'disagreed', 'skipped_budget', 'failed'] as const;
export type CanaryResult = (typeof canaryResults)[number];

/**
 * Whether a request is in its route's canary sample: the request id hashed (FNV-1a, 32 bits) to a number in
 * [0, 1), below `share`. The same request id is always in or out, on every worker and in every replay.
 */
export function canarySampled(requestId: string, share: number): boolean {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(requestId)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 0x1_0000_0000 < share;
}

export const canaryWorkflowIdPrefix = 'canary-';

/** The canary of one request: one per request id. */
export function canaryWorkflowIdOf(requestId: string): string {
  return `${canaryWorkflowIdPrefix}${requestId}`;
}

/** The budget of a route's canary for one UTC day (`2026-12-02`). */
export function canaryBudgetWorkflowIdOf(route: string, day: string): string {
  return `canary-budget-${route}-${day}`;
}

/**
 * Input of the `canaryCheck` workflow, started by a cascade whose accepted request was sampled. It names the
 * route, whose flagship and canary the worker resolves from its own configuration: a starter cannot choose
 * what a canary calls or spends.
 */
export const canaryCheckInputSchema = z
  .object({
    requestId: z.string().min(1).max(200),
    route: z.string().min(1).max(100),
    /** The cascade's workflow id, where the accepted answer is. */
    cascadeWorkflowId: z.string().min(1).max(300),
    messages: z.array(chatMessageSchema).min(1),
    /** The accepted answer of the cheap model. */
    accepted: z.object({ model: z.string(), text: z.string() }).strict(),
    /** What the flagship would charge for the accepted answer's tokens: the budget's estimate of the call. */
    estimateUsd: z.number().nonnegative().finite(),
    tags: z.record(z.string(), z.string()),
    /** The request's dataset row, passed on to the flagship call (replayed evaluation traffic). */
    datasetRowId: z.string().optional(),
  })
  .strict();
export type CanaryCheckInput = z.infer<typeof canaryCheckInputSchema>;

/** The result of a canary: what it found, what it paid, and what each side stated. */
export interface CanaryCheckResult {
  requestId: string;
  route: string;
  result: CanaryResult;
  /** The canary's spend: the flagship call and the judge, when there was one. */
  costUsd: number;
  /** What the comparison read of each answer (the extractor's values, or the judge's score and reason). */
  accepted?: string;
  flagship?: string;
  detail: string;
}
