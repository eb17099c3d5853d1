import { InvalidArgumentError, type SharedV4ProviderOptions } from '@ai-sdk/provider';
import { z } from 'zod';
import { describeIssues, requestIdPattern } from '../contracts/cascade/cascade-request';

/** The key of this provider's options in a call's `providerOptions`. */
export const cascadeProviderKey = 'cascade';

const cascadeProviderOptionsSchema = z
  .object({
    /**
     * The request's id: one request id, one cascade. A call with the id of a cascade already started joins
     * it (its answer, nothing billed again); a failed one is started again.
     * @default the `Idempotency-Key` or `X-Request-Id` header, else a fresh `ai-sdk-<uuid>`
     */
    requestId: z.string().optional(),
    /** Cost attribution of the cascade (`customer`, `feature`, ...), searchable in its workflow. @default none */
    tags: z.record(z.string(), z.string()).optional(),
  })
  .strict();

/** `providerOptions.cascade` of a call: `generateText({ ..., providerOptions: { cascade: { requestId } } })`. */
export type CascadeProviderOptions = z.infer<typeof cascadeProviderOptionsSchema>;

/** The headers a request id is read from when `providerOptions.cascade.requestId` is absent, in this order. */
export const requestIdHeaders = ['idempotency-key', 'x-request-id'] as const;

/** Reads `providerOptions.cascade`; throws `InvalidArgumentError` naming a bad or unknown field. */
export function cascadeProviderOptionsOf(providerOptions: SharedV4ProviderOptions | undefined): CascadeProviderOptions {
  const parsed = cascadeProviderOptionsSchema.safeParse(providerOptions?.[cascadeProviderKey] ?? {});
  if (!parsed.success)
    throw new InvalidArgumentError({
      argument: `providerOptions.${cascadeProviderKey}`,
      message: `providerOptions.${cascadeProviderKey}: ${describeIssues(parsed.error)}`,
    });
  return parsed.data;
}

/** A request id and where it came from. */
export interface ChosenRequestId {
  requestId: string;
  /** Where it came from: `providerOptions.cascade.requestId`, `headers.idempotency-key`, `headers.x-request-id` or `generated`. */
  source: string;
}

/**
 * The call's request id: `providerOptions.cascade.requestId`, else the `Idempotency-Key` or `X-Request-Id`
 * header (any case), else `generate()`. Throws `InvalidArgumentError` naming its source when a given id is
 * not one a cascade takes (1 to 200 letters, digits and `. _ : @ / -`).
 */
export function chooseRequestId(options: {
  providerOptions: CascadeProviderOptions;
  headers: Record<string, string | undefined> | undefined;
  generate: () => string;
}): ChosenRequestId {
  const chosen = givenRequestId(options) ?? { requestId: options.generate(), source: 'generated' };
  if (!requestIdPattern.test(chosen.requestId))
    throw new InvalidArgumentError({
      argument: chosen.source,
      message: `${chosen.source} is ${JSON.stringify(chosen.requestId)}: a request id is 1 to 200 letters, digits and . _ : @ / -, starting with a letter or digit`,
    });
  return chosen;
}

function givenRequestId(options: {
  providerOptions: CascadeProviderOptions;
  headers: Record<string, string | undefined> | undefined;
}): ChosenRequestId | undefined {
  if (options.providerOptions.requestId !== undefined)
    return { requestId: options.providerOptions.requestId, source: `providerOptions.${cascadeProviderKey}.requestId` };
  const headers = Object.entries(options.headers ?? {});
  for (const name of requestIdHeaders) {
    const value = headers.find(([key, headerValue]) => key.toLowerCase() === name && headerValue !== undefined)?.[1];
    if (value !== undefined) return { requestId: value.trim(), source: `headers.${name}` };
  }
  return undefined;
}
