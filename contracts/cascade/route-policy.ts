import { z } from 'zod';
import { gateSignalNeeds } from './gate-signals';
import { gateSpecSchema } from './gate-spec';
import { canarySpecSchema } from './canary';
import { preRoutingSpecSchema } from './pre-routing';

/**
 * The resolved policy of one route: what the workflow runs. It is plain JSON with every duration in
 * milliseconds, and it travels in the workflow input (or is recorded by the `resolveRoute` local
 * activity), so the history shows exactly which policy decided a request.
 *
 * It never holds a secret: a model names the environment variable of its API key (`apiKeyEnv`), which
 * only the worker reads.
 */

export {
  modelPriceSchema,
  modelSpecSchema,
  providerKinds,
  type ModelPrice,
  type ModelSpec,
  type ProviderKind,
} from './model-spec';
import { modelSpecSchema, type ModelSpec } from './model-spec';

export const retrySpecSchema = z
  .object({
    /** Delay before the first retry. */
    initialIntervalMs: z.number().int().positive(),
    /** Multiplier of the delay after each retry. */
    backoffCoefficient: z.number().min(1),
    /** Upper bound of the delay between retries. */
    maximumIntervalMs: z.number().int().positive(),
    /** Attempts in all, the first included. */
    maximumAttempts: z.number().int().positive(),
  })
  .strict();
export type RetrySpec = z.infer<typeof retrySpecSchema>;

/** The most models one tier may name: its model and the fallbacks after it. */
export const maximumTierModels = 4;

export const tierSpecSchema = z
  .object({
    model: modelSpecSchema,
    /**
     * Models of similar quality tried in order when the one before is unavailable after its own retries
     * (5xx, timeouts, connection errors, a 429 whose Retry-After is beyond the cap) or its circuit is open.
     * A gate's rejection never moves to them. Absent in every policy written before fallbacks. @default none
     */
    fallbackModels: z
      .array(modelSpecSchema)
      .min(1)
      .max(maximumTierModels - 1)
      .optional(),
    /** How long one call may take before it is abandoned and retried. */
    timeoutMs: z.number().int().positive(),
    retry: retrySpecSchema,
  })
  .strict();
export type TierSpec = z.infer<typeof tierSpecSchema>;

/** The models a tier tries, in order: its model, then its fallbacks. */
export function tierModels(tier: TierSpec): ModelSpec[] {
  return [tier.model, ...(tier.fallbackModels ?? [])];
}

/**
 * How a route answers: `cascade` (the cheap tier, its gate, and at most one escalation) or
 * `flagship-only` (the flagship alone, for a route where a cascade does not pay).
 */
export const routeModes = ['cascade', 'flagship-only'] as const;
export type RouteMode = (typeof routeModes)[number];

export const routePolicySchema = z
  .object({
    /** The route's name, as clients name it. */
    route: z.string().min(1),
    /**
     * `flagship-only`: call the flagship once and skip the cheap tier and the gate (both stay in the
     * policy, unused, so switching back is one line). Absent means a cascade, as in every policy
     * written before the mode existed. @default absent (a cascade)
     */
    mode: z.literal('flagship-only').optional(),
    cheap: tierSpecSchema,
    flagship: tierSpecSchema,
    /** The gate that accepts or rejects the cheap answer. */
    gate: gateSpecSchema,
    /** Longest provider `Retry-After` honoured; a longer one is cut to this. */
    retryAfterCapMs: z.number().int().nonnegative(),
    /**
     * A sample of accepted requests also asked of the flagship, in the background, and compared (see
     * `canary.ts`). Absent in every policy written before canaries. @default no canary
     */
    canary: canarySpecSchema.optional(),
    /**
     * Requests sent straight to the flagship before the cheap call (see `pre-routing.ts`). Absent in every
     * policy written before pre-routing. @default none
     */
    preRouting: preRoutingSpecSchema.optional(),
  })
  .strict()
  .superRefine((policy, context) => {
    if (policy.canary?.compare.kind === 'judge' && typeof policy.canary.compare.model === 'string') {
      context.addIssue({
        code: 'custom',
        path: ['canary', 'compare', 'model'],
        message: `judge model "${policy.canary.compare.model}" must be a model spec in a resolved policy`,
      });
    }
    for (const judge of gateSignalNeeds(policy.gate).judges) {
      if (typeof judge.model === 'string') {
        context.addIssue({
          code: 'custom',
          path: ['gate'],
          message: `judge model "${judge.model}" must be a model spec in a resolved policy`,
        });
      }
    }
  });
export type RoutePolicy = z.infer<typeof routePolicySchema>;

export const tiers = ['cheap', 'flagship'] as const;
export type Tier = (typeof tiers)[number];
