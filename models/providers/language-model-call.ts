import {
  generateText,
  type LanguageModel,
  type ModelMessage,
  type ProviderMetadata,
  type SystemModelMessage,
} from 'ai';
import type { SharedV4ProviderOptions } from '@ai-sdk/provider';
import { datasetRowHeader } from '../../contracts/cascade/cascade-request';
import type { ChatMessage } from '../../contracts/cascade/chat-message';
import type { ModelSpec } from '../../contracts/cascade/route-policy';
import type { TokenLogprob } from '../../contracts/cascade/tokens';
import type { GenerateRequest, GenerateResult } from './model-provider';
import { normaliseUsage, type UsageWireFields } from './token-usage';

export interface LanguageModelCallOptions {
  model: LanguageModel;
  spec: ModelSpec;
  request: GenerateRequest;
  providerOptions?: SharedV4ProviderOptions;
}

/** The one `generateText` call every adapter makes: one HTTP request, no retries of its own. */
export function callLanguageModel(options: LanguageModelCallOptions) {
  const { instructions, messages } = toPrompt(options.request.messages);
  const { datasetRowId } = options.request;
  return generateText({
    model: options.model,
    instructions,
    messages,
    // A system message after the first turn is the caller's on purpose: OpenAI takes it in place, and
    // the Anthropic library sends it in place under its `mid-conversation-system` beta.
    allowSystemInMessages: true,
    maxRetries: 0,
    abortSignal: options.request.abortSignal,
    headers: datasetRowId === undefined ? undefined : { [datasetRowHeader]: datasetRowId },
    maxOutputTokens: options.spec.maxOutputTokens,
    temperature: options.spec.temperature,
    providerOptions: options.providerOptions,
  });
}

/**
 * One call, its result normalised: usage read with the provider's wire field names (so a count the
 * provider did not send stays `undefined`), and log-probabilities where the adapter can read them.
 */
export async function generateNormalised(
  options: LanguageModelCallOptions & {
    usageWireFields: UsageWireFields;
    readLogprobs?: (metadata: ProviderMetadata | undefined) => TokenLogprob[] | undefined;
  },
): Promise<GenerateResult> {
  const result = await callLanguageModel(options);
  return {
    text: result.text,
    finishReason: result.finishReason,
    usage: normaliseUsage(result.usage, options.usageWireFields),
    logprobs: options.readLogprobs?.(result.providerMetadata),
    modelId: result.response.modelId,
  };
}

/** Leading system messages become the `instructions` option, which the AI SDK prefers; the rest stay in order. */
export function toPrompt(chat: readonly ChatMessage[]): {
  instructions: SystemModelMessage[] | undefined;
  messages: ModelMessage[];
} {
  const firstTurn = chat.findIndex((message) => message.role !== 'system');
  const leadingSystemCount = firstTurn === -1 ? chat.length : firstTurn;
  const instructions = chat
    .slice(0, leadingSystemCount)
    .map((message): SystemModelMessage => ({ role: 'system', content: message.content }));
  const messages = chat.slice(leadingSystemCount).map(toModelMessage);
  return { instructions: instructions.length > 0 ? instructions : undefined, messages };
}

function toModelMessage(message: ChatMessage): ModelMessage {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return { role: 'user', content: message.content };
    case 'assistant':
      return { role: 'assistant', content: message.content };
  }
}
