import { z } from 'zod';
import { durationSchema } from './duration-schema';
import { shareSchema } from './share-schema';

/**
 * The `circuitBreaker` section of a routes file: when a worker stops calling a model endpoint that is
 * failing. One breaker per provider endpoint and model, shared by every call of the worker: it opens when
 * at least `minimumCalls` calls ended in the last `window` and more than `failureShare` of them failed
 * (5xx, timeouts, connection errors, 429), stays open for `cooldown` (calls are refused without a request
 * or a retry sleep, and the tier moves to its next model), then lets one probe through: an answer closes
 * it, a failure opens it for another cooldown.
 */
export const circuitBreakerFileSchema = z
  .object({
    /** @default 50% */
    failureShare: shareSchema.optional(),
    /** @default 30s */
    window: durationSchema.optional(),
    /** @default 10 */
    minimumCalls: z.number().int().positive().optional(),
    /** @default 30s */
    cooldown: durationSchema.optional(),
    /**
     * Share open circuits among the workers of one cost ledger's database (`CASCADE_LEDGER_URL`): a circuit
     * one worker opens is refused by all until its cooldown ends. @default false
     */
    shared: z.boolean().optional(),
  })
  .strict()
  .superRefine((section, context) => {
    if (section.failureShare === 1)
      context.addIssue({
        code: 'custom',
        path: ['failureShare'],
        message: 'must be below 1 (100%): the circuit opens when more than this share of calls fail',
      });
    for (const field of ['window', 'cooldown'] as const)
      if (section[field] === 0) context.addIssue({ code: 'custom', path: [field], message: 'must be above 0' });
  });
export type CircuitBreakerFileSection = z.infer<typeof circuitBreakerFileSchema>;

export interface CircuitBreakerSettings {
  /** Share of the window's calls that must fail, above which the circuit opens (0 to 1, 1 excluded). */
  failureShare: number;
  windowMs: number;
  /** Calls the window must hold before the circuit may open. */
  minimumCalls: number;
  /** How long an open circuit refuses calls before it lets a probe through. */
  cooldownMs: number;
  /** Open circuits are shared through the cost ledger's database. */
  shared?: boolean;
}

export const defaultCircuitBreakerSettings: CircuitBreakerSettings = {
  failureShare: 0.5,
  windowMs: 30_000,
  minimumCalls: 10,
  cooldownMs: 30_000,
};

/** The settings a section gives, over the defaults; `undefined` when there is no section (no circuit breaking). */
export function resolveCircuitBreakerSettings(
  section: CircuitBreakerFileSection | undefined,
): CircuitBreakerSettings | undefined {
  if (section === undefined) return undefined;
  const settings: CircuitBreakerSettings = {
    failureShare: section.failureShare ?? defaultCircuitBreakerSettings.failureShare,
    windowMs: section.window ?? defaultCircuitBreakerSettings.windowMs,
    minimumCalls: section.minimumCalls ?? defaultCircuitBreakerSettings.minimumCalls,
    cooldownMs: section.cooldown ?? defaultCircuitBreakerSettings.cooldownMs,
    ...(section.shared ? { shared: true } : {}),
  };
  return settings;
}
