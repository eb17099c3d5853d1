import { z } from 'zod';
import { gateLeaves } from '../contracts/cascade/gate-leaves';
import type { RoutePolicy } from '../contracts/cascade/route-policy';
import { defaultMaximumRequestBytes } from '../contracts/cascade/message-text-problems';
import { durationSchema } from './duration-schema';

/**
 * The most a route policy (and a request) may ask for, whoever wrote it: the routes file (checked when it loads) or a
 * starter that puts a policy into workflow input (checked by the worker before anything is called).
 * A routes file may set its own under `limits`, up to `policyLimitCeilings`.
 */
export interface PolicyLimits {
  /** Attempts per tier, the first included. */
  maximumAttempts: number;
  /** A tier's timeout per call. */
  maximumTimeoutMs: number;
  /** A retry's initial and maximum interval, and the `Retry-After` cap. */
  maximumRetryIntervalMs: number;
  /** A retry policy's backoff coefficient. */
  maximumBackoffCoefficient: number;
  /** Samples of a self-consistency gate (extra cheap calls, each billed). */
  maximumSamples: number;
  /** Judge gates in one gate tree (one billed call each). */
  maximumJudges: number;
  /** Gates in one gate tree, composites' leaves counted. */
  maximumGateLeaves: number;
  /** UTF-8 bytes of a request's message text, all messages together (checked by clients and workers). */
  maximumRequestBytes: number;
  /** UTF-8 bytes of one model answer's text; a longer answer is the provider's error (`ProviderAnswerTooLarge`). */
  maximumAnswerBytes: number;
}

const minuteMs = 60_000;

export const defaultPolicyLimits: PolicyLimits = {
  maximumAttempts: 10,
  maximumTimeoutMs: 10 * minuteMs,
  maximumRetryIntervalMs: 10 * minuteMs,
  maximumBackoffCoefficient: 10,
  maximumSamples: 10,
  maximumJudges: 3,
  maximumGateLeaves: 20,
  maximumRequestBytes: defaultMaximumRequestBytes,
  maximumAnswerBytes: 512 * 1024,
};

/**
 * What no `limits` section may exceed: a day fits Node's timers (about 24.8 days) and Temporal's, and the
 * counts keep one request's bill bounded.
 */
export const policyLimitCeilings: PolicyLimits = {
  maximumAttempts: 100,
  maximumTimeoutMs: 24 * 60 * minuteMs,
  maximumRetryIntervalMs: 24 * 60 * minuteMs,
  maximumBackoffCoefficient: 100,
  maximumSamples: 20,
  maximumJudges: 10,
  maximumGateLeaves: 100,
  // Below Temporal's 2 MiB payload limit, with room for the rest of the input.
  maximumRequestBytes: 1536 * 1024,
  // An answer is recorded as text, and parsed JSON beside it, in one 2 MiB payload.
  maximumAnswerBytes: 768 * 1024,
};

const count = (ceiling: number) => z.number().int().positive().max(ceiling);
const duration = (ceilingMs: number) =>
  durationSchema.refine((value) => value > 0 && value <= ceilingMs, `must be above 0 and at most ${ceilingMs} ms`);

/** The routes file's `limits` section; each entry defaults to `defaultPolicyLimits`. */
export const policyLimitsFileSchema = z
  .object({
    maximumAttempts: count(policyLimitCeilings.maximumAttempts).optional(),
    maximumTimeout: duration(policyLimitCeilings.maximumTimeoutMs).optional(),
    maximumRetryInterval: duration(policyLimitCeilings.maximumRetryIntervalMs).optional(),
    maximumBackoffCoefficient: z.number().min(1).max(policyLimitCeilings.maximumBackoffCoefficient).optional(),
    maximumSamples: count(policyLimitCeilings.maximumSamples).optional(),
    maximumJudges: count(policyLimitCeilings.maximumJudges).optional(),
    maximumGateLeaves: count(policyLimitCeilings.maximumGateLeaves).optional(),
    maximumRequestBytes: count(policyLimitCeilings.maximumRequestBytes).optional(),
    maximumAnswerBytes: count(policyLimitCeilings.maximumAnswerBytes).optional(),
  })
  .strict();
export type PolicyLimitsFile = z.infer<typeof policyLimitsFileSchema>;

export function resolvePolicyLimits(file: PolicyLimitsFile | undefined): PolicyLimits {
  return {
    maximumAttempts: file?.maximumAttempts ?? defaultPolicyLimits.maximumAttempts,
    maximumTimeoutMs: file?.maximumTimeout ?? defaultPolicyLimits.maximumTimeoutMs,
    maximumRetryIntervalMs: file?.maximumRetryInterval ?? defaultPolicyLimits.maximumRetryIntervalMs,
    maximumBackoffCoefficient: file?.maximumBackoffCoefficient ?? defaultPolicyLimits.maximumBackoffCoefficient,
    maximumSamples: file?.maximumSamples ?? defaultPolicyLimits.maximumSamples,
    maximumJudges: file?.maximumJudges ?? defaultPolicyLimits.maximumJudges,
    maximumGateLeaves: file?.maximumGateLeaves ?? defaultPolicyLimits.maximumGateLeaves,
    maximumRequestBytes: file?.maximumRequestBytes ?? defaultPolicyLimits.maximumRequestBytes,
    maximumAnswerBytes: file?.maximumAnswerBytes ?? defaultPolicyLimits.maximumAnswerBytes,
  };
}

/** Each value of the policy above its limit, as `cheap.retry.maximumAttempts is 37, above the limit of 10 (maximumAttempts)`. */
export function policyLimitProblems(policy: RoutePolicy, limits: PolicyLimits): string[] {
  const problems: string[] = [];
  const check = (field: string, value: number, limit: keyof PolicyLimits) => {
    if (value > limits[limit]) problems.push(`${field} is ${value}, above the limit of ${limits[limit]} (${limit})`);
  };
  for (const tier of ['cheap', 'flagship'] as const) {
    const spec = policy[tier];
    check(`${tier}.retry.maximumAttempts`, spec.retry.maximumAttempts, 'maximumAttempts');
    check(`${tier}.timeoutMs`, spec.timeoutMs, 'maximumTimeoutMs');
    check(`${tier}.retry.initialIntervalMs`, spec.retry.initialIntervalMs, 'maximumRetryIntervalMs');
    check(`${tier}.retry.maximumIntervalMs`, spec.retry.maximumIntervalMs, 'maximumRetryIntervalMs');
    check(`${tier}.retry.backoffCoefficient`, spec.retry.backoffCoefficient, 'maximumBackoffCoefficient');
  }
  check('retryAfterCapMs', policy.retryAfterCapMs, 'maximumRetryIntervalMs');
  const leaves = gateLeaves(policy.gate);
  check('gate (leaves)', leaves.length, 'maximumGateLeaves');
  check('gate (judges)', leaves.filter((leaf) => leaf.gate.kind === 'judge').length, 'maximumJudges');
  for (const { gate, path } of leaves) {
    if (gate.kind === 'self-consistency') check(`gate${path}.samples`, gate.samples, 'maximumSamples');
  }
  return problems;
}
