import { UnsupportedFunctionalityError, type LanguageModelV4CallOptions, type SharedV4Warning } from '@ai-sdk/provider';
import type { CascadeRequest } from '../contracts/cascade/cascade-request';
import { cascadeProviderOptionsOf, chooseRequestId } from './cascade-provider-options';
import { chatMessagesOf } from './prompt-messages';

/** An AI SDK call as the cascade request it starts. */
export interface CascadeCall {
  request: CascadeRequest;
  /** Settings of the call a cascade does not apply, one warning each. */
  warnings: SharedV4Warning[];
  /** Where the request id came from (see `chooseRequestId`). */
  requestIdSource: string;
}

/** Sampling settings a cascade does not take: its route's models sample with the route's settings. */
const ignoredSettings = ['topP', 'topK', 'seed', 'presencePenalty', 'frequencyPenalty'] as const;

/**
 * The cascade request of a call to a route: its prompt as chat messages (see `chatMessagesOf`),
 * `temperature` and `maxOutputTokens` as the request's, a JSON `responseFormat` as `outputSchema` (for the
 * route's `json-schema` gate), `providerOptions.cascade`'s request id and tags. Tools throw
 * `UnsupportedFunctionalityError`; sampling settings a cascade does not apply (`topP`, `topK`, `seed`,
 * penalties, `stopSequences`, `reasoning`) each give an `unsupported` warning instead.
 */
export function cascadeCallOf(options: {
  route: string;
  call: LanguageModelV4CallOptions;
  /** A fresh request id, for a call that names none. */
  generateRequestId: () => string;
}): CascadeCall {
  const { call } = options;
  if (call.tools && call.tools.length > 0)
    throw new UnsupportedFunctionalityError({
      functionality: 'tools',
      message: `tools (${call.tools.map((tool) => tool.name).join(', ')}): a cascade answers with text and calls no tools`,
    });
  const messages = chatMessagesOf(call.prompt);
  const providerOptions = cascadeProviderOptionsOf(call.providerOptions);
  const { requestId, source } = chooseRequestId({
    providerOptions,
    headers: call.headers,
    generate: options.generateRequestId,
  });
  const outputSchema = outputSchemaOf(call.responseFormat);
  const request: CascadeRequest = {
    requestId,
    route: options.route,
    messages,
    ...(call.temperature !== undefined ? { temperature: call.temperature } : {}),
    ...(call.maxOutputTokens !== undefined ? { maxOutputTokens: call.maxOutputTokens } : {}),
    ...(outputSchema ? { outputSchema } : {}),
    ...(providerOptions.tags ? { tags: providerOptions.tags } : {}),
  };
  return { request, warnings: warningsOf(call), requestIdSource: source };
}

/**
 * The schema a JSON answer must match: the response format's (the AI SDK writes draft-07 and says so in
 * `$schema`, which the gate reads), or any JSON object without one.
 */
function outputSchemaOf(
  responseFormat: LanguageModelV4CallOptions['responseFormat'],
): Record<string, unknown> | undefined {
  if (responseFormat?.type !== 'json') return undefined;
  if (!responseFormat.schema) return { type: 'object' };
  return responseFormat.schema as Record<string, unknown>;
}

function warningsOf(call: LanguageModelV4CallOptions): SharedV4Warning[] {
  const warnings: SharedV4Warning[] = [];
  for (const setting of ignoredSettings) {
    if (call[setting] !== undefined)
      warnings.push({
        type: 'unsupported',
        feature: setting,
        details: "a cascade's models sample with their route's settings",
      });
  }
  if (call.stopSequences && call.stopSequences.length > 0)
    warnings.push({
      type: 'unsupported',
      feature: 'stopSequences',
      details: "a cascade's models stop where their route's settings say",
    });
  if (call.reasoning !== undefined && call.reasoning !== 'provider-default')
    warnings.push({
      type: 'unsupported',
      feature: 'reasoning',
      details: "a cascade's models reason as their route's settings say",
    });
  return warnings;
}
