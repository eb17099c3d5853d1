import { z } from 'zod';
import { gateSpecSchema } from '../contracts/cascade/gate-spec';
import { canaryCompareSchema } from '../contracts/cascade/canary';
import { preRoutingSpecSchema } from '../contracts/cascade/pre-routing';
import { maximumTierModels, modelSpecSchema, routeModes } from '../contracts/cascade/route-policy';
import { durationSchema } from './duration-schema';
import { shareSchema } from './share-schema';
import { circuitBreakerFileSchema } from './circuit-breaker-section';
import { apiFileSchema } from './api-section';
import { policyLimitsFileSchema } from './policy-limits';

export { durationSchema } from './duration-schema';

/**
 * The routes file as people write it (YAML or JSON): durations as readable strings (`"500ms"`, `"30s"`)
 * or milliseconds, models named once under `models` and referred to by name, defaults shared by routes.
 * `resolveRoutes` turns it into one `RoutePolicy` per route.
 */

export const retryFileSchema = z
  .object({
    /** @default 1s (flagship), 250ms (cheap) */
    initialInterval: durationSchema.optional(),
    /** @default 2 */
    backoffCoefficient: z.number().min(1).optional(),
    /** @default 30s (flagship), 2s (cheap) */
    maximumInterval: durationSchema.optional(),
    /** Attempts in all, the first included. @default 5 (flagship), 2 (cheap) */
    maximumAttempts: z.number().int().positive().optional(),
  })
  .strict();
export type RetryFileSpec = z.infer<typeof retryFileSchema>;

const modelReferenceSchema = z.union([z.string().min(1), modelSpecSchema]);

export const tierFileSchema = z
  .object({
    /** The name of an entry of `models`, or a model spec written out. */
    model: modelReferenceSchema.optional(),
    /**
     * Instead of `model`: models of similar quality tried in order, each when the one before is unavailable
     * after its own retries or its circuit is open (`[mini, haiku]`). A gate's rejection never moves to the
     * next; it escalates.
     */
    models: z.array(modelReferenceSchema).min(1).max(maximumTierModels).optional(),
    /** How long one call may take. @default 20s (cheap), 60s (flagship) */
    timeout: durationSchema.optional(),
    retry: retryFileSchema.optional(),
  })
  .strict()
  .superRefine((tier, context) => {
    if ((tier.model === undefined) === (tier.models === undefined))
      context.addIssue({
        code: 'custom',
        path: tier.model === undefined ? ['model'] : ['models'],
        message: 'name either model (one model) or models (the model, then its fallbacks), not both or neither',
      });
  });
export type TierFileSpec = z.infer<typeof tierFileSchema>;

export const canaryFileSchema = z
  .object({
    share: shareSchema,
    maxUsdPerDay: z.number().positive(),
    compare: canaryCompareSchema,
  })
  .strict();

const tierDefaultsSchema = z.object({ timeout: durationSchema.optional(), retry: retryFileSchema.optional() }).strict();

export const routeFileSchema = z
  .object({
    /**
     * `cascade`, or `flagship-only`: every request goes to the flagship alone. `cheap` and `gate` stay
     * required in that mode (validated, not called), so switching back is one line. @default cascade
     */
    mode: z.enum(routeModes).optional(),
    cheap: tierFileSchema,
    flagship: tierFileSchema,
    gate: gateSpecSchema,
    /** Longest provider Retry-After honoured. @default 30s */
    retryAfterCap: durationSchema.optional(),
    /**
     * A sample of accepted requests also asked of the flagship in the background and compared, within a
     * daily budget: `{ share: 5%, maxUsdPerDay: 2, compare: { kind: choice-letter } }`. @default none
     */
    canary: canaryFileSchema.optional(),
    /**
     * Requests sent straight to the flagship before the cheap call: `{ contextWindow: true, rules: [{ name:
     * legal, tags: { team: legal } }] }`; see `contracts/cascade/pre-routing.ts`. @default none
     */
    preRouting: preRoutingSpecSchema.optional(),
  })
  .strict();

export const configFileSchema = z
  .object({
    defaults: z
      .object({
        cheap: tierDefaultsSchema.optional(),
        flagship: tierDefaultsSchema.optional(),
        retryAfterCap: durationSchema.optional(),
      })
      .strict()
      .optional(),
    models: z.record(z.string().min(1), modelSpecSchema).optional(),
    /** The most a route policy may ask for (attempts, timeouts, samples, judges); see `policy-limits.ts`. */
    limits: policyLimitsFileSchema.optional(),
    /**
     * Circuit breaking of every model endpoint a worker calls: `{ failureShare: 50%, window: 30s,
     * minimumCalls: 10, cooldown: 30s }`; see `circuit-breaker-section.ts`. @default no circuit breaking
     */
    circuitBreaker: circuitBreakerFileSchema.optional(),
    /** What `cascade serve` takes: caller keys, the time budget of a request; see `api-section.ts`. Workers ignore it. */
    api: apiFileSchema.optional(),
    routes: z
      .record(
        z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'route names are 1 to 100 letters, digits, _ . or -'),
        routeFileSchema,
      )
      .refine((routes) => Object.keys(routes).length > 0, 'must name at least one route'),
  })
  .strict();
export type ConfigFile = z.infer<typeof configFileSchema>;
