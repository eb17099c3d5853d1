import { z } from 'zod';

/**
 * Pre-routing: requests a route sends straight to the flagship, decided before the cheap call, because
 * they can only fail there. Checked in order: the input's length against the cheap model's context
 * window, then each rule; the first that applies decides. The decision is recorded in the history (the
 * `preRoute` local activity's result) and the request's outcome is `pre_routed`.
 */

/** One rule: it applies when every condition it names holds. */
export const preRoutingRuleSchema = z
  .object({
    /** Names the rule in results, reports and metrics (`rule: <name>`). */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'rule names are 1 to 64 letters, digits, _ . or -'),
    /** Tags the request carries, each with this value (`{ team: legal }`). */
    tags: z.record(z.string().min(1), z.string()).optional(),
    /** A regular expression (RE2 syntax, linear time) that finds a match in the last user message. */
    lastUserMessage: z.string().min(1).max(1000).optional(),
    /** Flags of `lastUserMessage`: `i`, `m`, `s`. @default none */
    flags: z
      .string()
      .regex(/^[ims]*$/, 'flags are i, m and s')
      .optional(),
    /** The request's output schema is this one: its `title` or `$id` (`invoice`). */
    outputSchema: z.string().min(1).optional(),
  })
  .strict()
  .refine(
    (rule) => rule.tags !== undefined || rule.lastUserMessage !== undefined || rule.outputSchema !== undefined,
    'a rule names at least one of tags, lastUserMessage and outputSchema',
  );
export type PreRoutingRule = z.infer<typeof preRoutingRuleSchema>;

export const preRoutingSpecSchema = z
  .object({
    /**
     * Send a request that does not fit the cheap tier's context window to the flagship (`context_window`):
     * its messages, counted with the o200k_base tokenizer, and the cheap model's `maxOutputTokens`. `true`
     * takes each cheap model's window (its `contextWindowTokens`, else the price table's; the smallest of
     * a tier with fallbacks); a number is the window in tokens. @default no check
     */
    contextWindow: z.union([z.literal(true), z.number().int().positive()]).optional(),
    rules: z.array(preRoutingRuleSchema).max(50).optional(),
  })
  .strict();
export type PreRoutingSpec = z.infer<typeof preRoutingSpecSchema>;

/** Why a request went straight to the flagship. */
export type PreRoutingDecision =
  | { direct: false }
  | {
      direct: true;
      reason: 'context_window' | 'rule';
      /** The rule that applied (reason `rule`). */
      rule?: string;
      /** What was measured or matched: `12,031 input tokens + 1,024 output > 8,192`. */
      detail: string;
    };

/** How a pre-routing decision reads as an escalation reason: `context_window` or `rule: <name>`. */
export function preRoutingReason(decision: Extract<PreRoutingDecision, { direct: true }>): string {
  return decision.reason === 'rule' ? `rule: ${decision.rule}` : 'context_window';
}
