import { z } from 'zod';

/**
 * One model as a route names it: which adapter calls it, where, with which key variable, and how its
 * usage is priced. Plain JSON; never a secret (`apiKeyEnv` names a variable only the worker reads).
 */

export const providerKinds = ['openai-compatible', 'openai', 'anthropic'] as const;
export type ProviderKind = (typeof providerKinds)[number];

export const modelPriceSchema = z
  .object({
    /** USD per million input tokens (not cached). */
    inputPerMillionUsd: z.number().nonnegative(),
    /** USD per million output tokens, reasoning tokens included. */
    outputPerMillionUsd: z.number().nonnegative(),
    /** USD per million cached input tokens. @default inputPerMillionUsd */
    cachedInputPerMillionUsd: z.number().nonnegative().optional(),
  })
  .strict();
export type ModelPrice = z.infer<typeof modelPriceSchema>;

export const modelSpecSchema = z
  .object({
    /** Which adapter calls the model. */
    provider: z.enum(providerKinds),
    /** The provider's model id, as sent in the request. */
    model: z.string().min(1),
    /** Base URL of the API (required for `openai-compatible`). */
    baseUrl: z.string().url().optional(),
    /** Name of the worker environment variable holding the API key. Never the key itself. */
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
      .optional(),
    /** Ask for token log-probabilities (the `openai` adapter only). @default false */
    logprobs: z.boolean().optional(),
    /**
     * With `logprobs: true`, how many most likely alternatives to ask for at each token (1 to 20; the
     * `openai` adapter only). A `margin` confidence gate needs at least 2. @default none asked
     */
    topLogprobs: z.number().int().min(1).max(20).optional(),
    /** Upper bound of generated tokens. */
    maxOutputTokens: z.number().int().positive().optional(),
    /** Sampling temperature. */
    temperature: z.number().min(0).max(2).optional(),
    /** Model id to look up in the price table when it differs from `model`. */
    priceModel: z.string().min(1).optional(),
    /** Provider id to look up in the price table (for example `openai`, `anthropic`, `groq`). */
    priceProvider: z.string().min(1).optional(),
    /** A price that overrides the table (for models the table lacks, or negotiated prices). */
    price: modelPriceSchema.optional(),
    /**
     * The model's context window in tokens, for pre-routing by input length. @default the price table's,
     * when it knows the model
     */
    contextWindowTokens: z.number().int().positive().optional(),
  })
  .strict()
  .superRefine((spec, context) => {
    if (spec.provider === 'openai-compatible' && !spec.baseUrl) {
      context.addIssue({ code: 'custom', path: ['baseUrl'], message: 'is required for provider openai-compatible' });
    }
    if (spec.topLogprobs !== undefined && spec.logprobs !== true) {
      context.addIssue({ code: 'custom', path: ['topLogprobs'], message: 'requires logprobs: true' });
    }
  });
export type ModelSpec = z.infer<typeof modelSpecSchema>;
