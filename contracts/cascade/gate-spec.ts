import { z } from 'zod';
import { modelSpecSchema } from './model-spec';

/**
 * What a route's gate checks. Deterministic gates only: the same answer always gets the same verdict.
 * Gates compose with `all` (every child passes) and `any` (one child passes).
 */

export const jsonSchemaGateSchema = z
  .object({
    kind: z.literal('json-schema'),
    /** A JSON Schema (draft 2020-12) the answer must match. Without it, the request's `outputSchema` is used. */
    schema: z.record(z.string(), z.unknown()).optional(),
    /** Name of a zod schema registered with the worker, instead of `schema`. */
    schemaName: z.string().min(1).optional(),
  })
  .strict();

export const refusalGateSchema = z
  .object({
    kind: z.literal('refusal'),
    /** Phrases that mark a refusal (case-insensitive). @default a built-in list */
    markers: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const uncertaintyGateSchema = z
  .object({
    kind: z.literal('uncertainty'),
    /** Phrases that mark an unsure answer (case-insensitive). @default a built-in list */
    markers: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const minimumContentGateSchema = z
  .object({
    kind: z.literal('minimum-content'),
    /** Fewest characters of trimmed text. @default 1 */
    minCharacters: z.number().int().nonnegative().optional(),
    /** Fewest words. @default 0 */
    minWords: z.number().int().nonnegative().optional(),
  })
  .strict();

export const requiredPatternGateSchema = z
  .object({
    kind: z.literal('required-pattern'),
    /**
     * A regular expression the answer must match, run on a linear-time engine: RE2 syntax (no
     * backreferences or lookaround), at most 1,000 characters (`gates/linear-regular-expression.ts`).
     */
    pattern: z.string().min(1).refine(isValidRegularExpression, 'is not a valid regular expression'),
    /** Regular expression flags. @default '' */
    flags: z
      .string()
      .regex(/^[dgimsuvy]*$/, 'holds a flag that is not a regular expression flag')
      .optional(),
  })
  .strict();

/**
 * Maps a raw confidence signal (an aggregated log-probability, at most 0, or a margin) to the
 * probability that the answer is right, fitted on labelled examples.
 */
export const calibrationSchema = z.discriminatedUnion('method', [
  z
    .object({
      /** Platt scaling: p = 1 / (1 + exp(-(slope * x + intercept))). */
      method: z.literal('platt'),
      slope: z.number().finite(),
      intercept: z.number().finite(),
    })
    .strict(),
  z
    .object({
      /** Isotonic regression: a non-decreasing step function through `points`, linear between them. */
      method: z.literal('isotonic'),
      /** `[x, p]` pairs, x strictly increasing, p non-decreasing in [0, 1]. */
      points: z
        .array(z.tuple([z.number().finite(), z.number().min(0).max(1)]))
        .min(1)
        .refine(
          (points) =>
            points.every(
              (point, index) => index === 0 || (point[0] > points[index - 1]![0] && point[1] >= points[index - 1]![1]),
            ),
          'x must increase and p must not decrease',
        ),
    })
    .strict(),
]);
export type Calibration = z.infer<typeof calibrationSchema>;

export const confidenceAggregations = ['first-token', 'mean', 'minimum', 'margin'] as const;
export type ConfidenceAggregation = (typeof confidenceAggregations)[number];

export const confidenceGateSchema = z
  .object({
    kind: z.literal('confidence'),
    /**
     * How token log-probabilities become one signal. `first-token` suits one-token answers (a letter);
     * `margin` reads the same token's lead over its runner-up (it needs the cheap model's `topLogprobs`
     * of at least 2). @default 'first-token'
     */
    aggregation: z.enum(confidenceAggregations).optional(),
    /** Without it, the score is exp(signal) (for `margin`, the logistic of the margin): the model's own probability, uncalibrated. */
    calibration: calibrationSchema.optional(),
    /** The answer passes when its score (probability of being right) reaches this. Give it or `signalThreshold`. */
    threshold: z.number().min(0).max(1).optional(),
    /**
     * The answer passes when its raw signal (the aggregated log-probability, or the margin) reaches this;
     * the calibration then only gives the score. Give it or `threshold`.
     */
    signalThreshold: z.number().finite().optional(),
    /** An answer without log-probabilities fails with reason `no_signal`, or passes (said in its verdict). @default 'escalate' */
    whenNoSignal: z.enum(['escalate', 'accept']).optional(),
  })
  .strict()
  .superRefine((spec, context) => {
    if (spec.threshold !== undefined && spec.signalThreshold !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['signalThreshold'],
        message: 'give threshold or signalThreshold, not both',
      });
    } else if (spec.threshold === undefined && spec.signalThreshold === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['threshold'],
        message: 'give threshold (on the score) or signalThreshold (on the raw signal)',
      });
    }
  });

export const answerExtractorSchema = z.discriminatedUnion('kind', [
  /** The multiple-choice letter (A, B, ...) the answer gives. */
  z
    .object({
      kind: z.literal('choice-letter'),
      letters: z
        .string()
        .regex(/^[A-Z]{2,26}$/)
        .optional(),
    })
    .strict(),
  /** The final number of the answer (`#### 42`, or the last number). */
  z.object({ kind: z.literal('final-number') }).strict(),
  /** One field of a JSON answer, by dotted path. */
  z.object({ kind: z.literal('json-field'), field: z.string().min(1) }).strict(),
  /** The answer trimmed, case and inner white space folded. */
  z.object({ kind: z.literal('trimmed-text') }).strict(),
]);
export type AnswerExtractor = z.infer<typeof answerExtractorSchema>;

export const selfConsistencyGateSchema = z
  .object({
    kind: z.literal('self-consistency'),
    /** Answers compared, the first one included (k - 1 more calls of the cheap model, all billed). */
    samples: z.number().int().min(2).max(20),
    /** Sampling temperature of the extra calls. @default 0.7 */
    temperature: z.number().min(0).max(2).optional(),
    extractor: answerExtractorSchema,
    /** The answer passes when this share of the samples agrees with it. */
    threshold: z.number().min(0).max(1),
  })
  .strict();

export const judgeGateSchema = z
  .object({
    kind: z.literal('judge'),
    /** The judge model; in a routes file, the name of an entry of `models`. */
    model: z.union([z.string().min(1), modelSpecSchema]),
    /** What the judge checks; the question and the answer are appended. */
    rubric: z.string().min(1),
    /** The answer passes when the judge's score (0 to 1) reaches this. */
    threshold: z.number().min(0).max(1),
  })
  .strict();

export type LeafGateSpec =
  | z.infer<typeof jsonSchemaGateSchema>
  | z.infer<typeof refusalGateSchema>
  | z.infer<typeof uncertaintyGateSchema>
  | z.infer<typeof minimumContentGateSchema>
  | z.infer<typeof requiredPatternGateSchema>
  | z.infer<typeof confidenceGateSchema>
  | z.infer<typeof selfConsistencyGateSchema>
  | z.infer<typeof judgeGateSchema>;

export interface CompositeGateSpec {
  kind: 'all' | 'any';
  gates: GateSpec[];
}

/** Passes when the weighted mean of its children's scores reaches `threshold`. */
export interface WeightedGateSpec {
  kind: 'weighted';
  gates: Array<{ gate: GateSpec; weight: number }>;
  threshold: number;
}

export type GateSpec = LeafGateSpec | CompositeGateSpec | WeightedGateSpec;

export const gateSpecSchema: z.ZodType<GateSpec> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    jsonSchemaGateSchema,
    refusalGateSchema,
    uncertaintyGateSchema,
    minimumContentGateSchema,
    requiredPatternGateSchema,
    z.object({ kind: z.literal('all'), gates: z.array(gateSpecSchema).min(1) }).strict(),
    z.object({ kind: z.literal('any'), gates: z.array(gateSpecSchema).min(1) }).strict(),
    confidenceGateSchema,
    selfConsistencyGateSchema,
    judgeGateSchema,
    z
      .object({
        kind: z.literal('weighted'),
        gates: z.array(z.object({ gate: gateSpecSchema, weight: z.number().positive() }).strict()).min(1),
        threshold: z.number().min(0).max(1),
      })
      .strict(),
  ]),
);

function isValidRegularExpression(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
