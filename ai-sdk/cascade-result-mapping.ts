import type {
  JSONObject,
  LanguageModelV4FinishReason,
  LanguageModelV4Usage,
  SharedV4ProviderMetadata,
} from '@ai-sdk/provider';
import type { CascadeResult } from '../contracts/cascade/cascade-result';
import { billedUsageOf, type CascadeSummary } from '../client/cascade-summary';
import { cascadeProviderKey } from './cascade-provider-options';

const unifiedFinishReasons: ReadonlyArray<LanguageModelV4FinishReason['unified']> = [
  'stop',
  'length',
  'content-filter',
  'tool-calls',
  'error',
  'interrupted',
  'other',
];

/**
 * Why the answer ended, as the AI SDK names it: the answering model's reason as its adapter normalised it
 * (`raw` keeps it), `other` for one the AI SDK does not name, `stop` for a result recorded before reasons were.
 */
export function finishReasonOf(answer: Pick<CascadeResult['answer'], 'finishReason'>): LanguageModelV4FinishReason {
  const reason = answer.finishReason;
  if (reason === undefined) return { unified: 'stop', raw: undefined };
  const unified = unifiedFinishReasons.find((known) => known === reason) ?? 'other';
  return { unified, raw: reason };
}

/**
 * The tokens the cascade was billed for, over every call it made (the cheap and the flagship answer of an
 * escalated request, samples, judges), not only the call whose answer this is. A count no call reported
 * stays `undefined`; cache and reasoning splits are not reported.
 */
export function usageOf(result: Pick<CascadeResult, 'tiers'>): LanguageModelV4Usage {
  const billed = billedUsageOf(result);
  const reported = (count: 'inputTokens' | 'outputTokens') =>
    result.tiers.some((tier) => tier.usage?.[count] !== undefined);
  const inputTokens = reported('inputTokens') ? billed.inputTokens : undefined;
  const outputTokens = reported('outputTokens') ? billed.outputTokens : undefined;
  return {
    inputTokens: { total: inputTokens, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: undefined },
  };
}

/** `providerMetadata.cascade`: the summary of the cascade behind the answer (outcome, cost, workflow, verdict). */
export function providerMetadataOf(summary: CascadeSummary): SharedV4ProviderMetadata {
  // A JSON round trip drops absent optional fields, which provider metadata (JSON values only) cannot hold.
  return { [cascadeProviderKey]: JSON.parse(JSON.stringify(summary)) as JSONObject };
}
