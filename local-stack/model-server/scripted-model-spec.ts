import { z } from 'zod';
import { CascadeError } from '../../contracts/cascade-error';
import { describeIssues } from '../../contracts/cascade/cascade-request';
import { failureTypes } from '../../contracts/failure-types';

/** Stable `type` of a bad scripted model spec. */
export const invalidModelSpecType = failureTypes.invalidModelSpec;

/** A scripted model spec is malformed. The message names each bad field, e.g. `models.0.rules.1.respond.text: ...`. */
export class InvalidModelSpecError extends CascadeError {
  declare readonly type: typeof invalidModelSpecType;
  override readonly name = 'InvalidModelSpecError';

  constructor(options: { message: string; cause?: unknown }) {
    super({ ...options, type: invalidModelSpecType });
  }
}

/**
 * A delay in milliseconds: a fixed number, or a range whose value is drawn deterministically from
 * the prompt (the same prompt always waits the same time).
 */
export type LatencySpec = number | { min: number; max: number };

/** The HTTP statuses a fault can answer with. */
export const faultStatuses = [400, 401, 403, 404, 422, 429, 500, 502, 503] as const;
export type FaultStatus = (typeof faultStatuses)[number];

/**
 * A fault answered instead of the answer. `times` counts per (model, prompt): the first `times`
 * calls of a prompt get the fault. Faults in a list apply one after the other: `[429 × 2, 500 × 1]`
 * fails calls 1 and 2 with 429, call 3 with 500, and call 4 gets the answer.
 */
export type FaultSpec =
  | {
      status: FaultStatus;
      times: number;
      /** The error message. @default a message naming the status and the model */
      message?: string;
      /** Sent as the `Retry-After` header (seconds). @default no header */
      retryAfterSeconds?: number;
    }
  | {
      /** Holds the connection open without answering, until the client gives up or the server stops. */
      hang: true;
      times: number;
    };

/** A token the model weighed instead of one it answered, with its log-probability (at most 0). */
export interface AlternativeTokenSpec {
  token: string;
  logprob: number;
}

/** Fields shared by the behaviours that answer. */
export interface AnswerOptionsSpec {
  /** The logprob of every returned token (at most 0). @default -0.05 */
  logprob?: number;
  /**
   * Runners-up of the answer token: the first token holding a letter or a digit (the first token when
   * none does), the one a confidence gate reads. A request with `top_logprobs: n` gets the n best of
   * them and the token itself, best first; an alternative spelled as the token is dropped. The other
   * tokens have no alternatives. The log-probabilities are not checked to sum to at most 1. @default []
   */
  alternatives?: AlternativeTokenSpec[];
  /** Overrides the model's latency for this behaviour. @default the model's `latencyMs` */
  latencyMs?: LatencySpec;
  /** Faults answered before the answer, per prompt. @default [] */
  faults?: FaultSpec[];
  /**
   * Token counts to report instead of the counted ones, sent as given (negative, fractional or absurd
   * ones too), to test how a client checks a provider's usage. @default the counted ones
   */
  usage?: { promptTokens?: number; completionTokens?: number };
}

/** Answers a fixed text; `{{lastUserMessage}}` in it is replaced by the last user message. */
export interface TextBehaviourSpec extends AnswerOptionsSpec {
  text: string;
}

/** Answers the last user message, word for word. */
export interface EchoBehaviourSpec extends AnswerOptionsSpec {
  echo: true;
}

/**
 * Picks one of several behaviours with probability proportional to its weight, deterministically
 * from the prompt: the same prompt to the same model always gets the same branch. A request with a
 * `temperature` above 0 draws from the prompt and the call's number for that (model, prompt), so
 * repeated samples vary, the same way in every run.
 */
export interface MixBehaviourSpec {
  mix: { weight: number; behaviour: BehaviourSpec }[];
}

export type BehaviourSpec = TextBehaviourSpec | EchoBehaviourSpec | MixBehaviourSpec;

/** A rule: when the last user message contains `whenContains` (case-sensitive), respond with `respond`. */
export interface RuleSpec {
  whenContains: string;
  respond: BehaviourSpec;
}

/**
 * A model the server plays from a script. The first rule whose `whenContains` occurs in the last
 * user message decides the behaviour; when none does, `default` does.
 */
export interface ScriptedModelSpec {
  /** The model id requests name. */
  id: string;
  /** Delay before answering. @default 0 */
  latencyMs?: LatencySpec;
  /** Checked in order. @default [] */
  rules?: RuleSpec[];
  /** Behaviour when no rule matches. */
  default: BehaviourSpec;
}

const millisecondsSchema = z.number().finite().nonnegative();

const latencySchema: z.ZodType<LatencySpec> = z.union([
  millisecondsSchema,
  z
    .object({ min: millisecondsSchema, max: millisecondsSchema })
    .strict()
    .refine((range) => range.min <= range.max, { path: ['max'], message: 'must be at least min' }),
]);

const timesSchema = z.number().int().positive();

const statusFaultSchema = z
  .object({
    status: z.literal(faultStatuses),
    times: timesSchema,
    message: z.string().min(1).optional(),
    retryAfterSeconds: z.number().int().nonnegative().optional(),
  })
  .strict();

const hangFaultSchema = z.object({ hang: z.literal(true), times: timesSchema }).strict();

const faultSchema = chooseByKey<FaultSpec>({ hang: hangFaultSchema }, statusFaultSchema);

const alternativeTokenSchema = z.object({ token: z.string().min(1), logprob: z.number().finite().max(0) }).strict();

const answerOptionsShape = {
  logprob: z.number().finite().max(0).optional(),
  alternatives: z.array(alternativeTokenSchema).max(20).optional(),
  latencyMs: latencySchema.optional(),
  faults: z.array(faultSchema).optional(),
  usage: z
    .object({ promptTokens: z.number().finite().optional(), completionTokens: z.number().finite().optional() })
    .strict()
    .optional(),
};

const textBehaviourSchema = z.object({ text: z.string(), ...answerOptionsShape }).strict();
const echoBehaviourSchema = z.object({ echo: z.literal(true), ...answerOptionsShape }).strict();
const mixBehaviourSchema = z
  .object({
    mix: z
      .array(
        z
          .object({
            weight: z.number().finite().positive(),
            get behaviour() {
              return behaviourSchema;
            },
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

const behaviourSchema: z.ZodType<BehaviourSpec> = chooseByKey<BehaviourSpec>(
  { mix: mixBehaviourSchema, echo: echoBehaviourSchema },
  textBehaviourSchema,
);

const ruleSchema = z.object({ whenContains: z.string().min(1), respond: behaviourSchema }).strict();

export const scriptedModelSpecSchema: z.ZodType<ScriptedModelSpec> = z
  .object({
    id: z.string().min(1),
    latencyMs: latencySchema.optional(),
    rules: z.array(ruleSchema).optional(),
    default: behaviourSchema,
  })
  .strict();

export const scriptedModelSpecListSchema = z.array(scriptedModelSpecSchema).superRefine((specs, context) => {
  const seen = new Set<string>();
  specs.forEach((spec, index) => {
    if (seen.has(spec.id))
      context.addIssue({
        code: 'custom',
        path: [index, 'id'],
        message: `"${spec.id}" is already the id of another model`,
      });
    seen.add(spec.id);
  });
});

/**
 * Validates a list of scripted model specs (e.g. read from YAML). Throws an `InvalidModelSpecError`
 * whose message names each bad field as `models.<index>.<field>`, after `source` (e.g. the file
 * name) when given.
 */
export function parseScriptedModelSpecs(input: unknown, options: { source?: string } = {}): ScriptedModelSpec[] {
  const parsed = scriptedModelSpecListSchema.safeParse(input);
  if (!parsed.success) {
    const where = options.source === undefined ? '' : `${options.source}: `;
    throw new InvalidModelSpecError({ message: `${where}${describeIssues(prefixPaths(parsed.error))}` });
  }
  return parsed.data;
}

function prefixPaths(error: z.ZodError): z.ZodError {
  return new z.ZodError(error.issues.map((issue) => ({ ...issue, path: ['models', ...issue.path] })));
}

/**
 * A union told apart by which key the value has, so a bad value gets the errors of the branch it
 * meant to be rather than zod's bare "Invalid input" for a failed union.
 */
function chooseByKey<T>(branches: Record<string, z.ZodType>, fallback: z.ZodType): z.ZodType<T> {
  return z.unknown().transform((value, context): T => {
    const key =
      typeof value === 'object' && value !== null ? Object.keys(branches).find((name) => name in value) : undefined;
    const parsed = (key === undefined ? fallback : branches[key]!).safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) context.addIssue({ ...issue } as z.core.$ZodRawIssue);
      return z.NEVER;
    }
    return parsed.data as T;
  }) as unknown as z.ZodType<T>;
}
