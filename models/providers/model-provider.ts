import type { ChatMessage } from '../../contracts/cascade/chat-message';
import type { TokenLogprob, TokenUsage } from '../../contracts/cascade/tokens';
import type { ModelSpec } from '../../contracts/cascade/route-policy';

/** One call to a model. */
export interface GenerateRequest {
  /** The chat; leading system messages become the system prompt. */
  messages: ChatMessage[];
  /** Aborts the HTTP call (the activity's timeout or cancellation). */
  abortSignal?: AbortSignal;
  /**
   * The replay-dataset row the call re-asks, sent as the `X-Cascade-Dataset-Row` header (a replaying
   * server answers with that row's recorded answer; real providers ignore it). @default no header
   */
  datasetRowId?: string;
}

/** One model answer, normalised across providers. */
export interface GenerateResult {
  text: string;
  /** The AI SDK's unified finish reason: `stop`, `length`, `content-filter`, `tool-calls`, `error`, `interrupted` or `other`. */
  finishReason: string;
  /** Token counts as the provider reported them; `undefined` where it reported none. */
  usage: TokenUsage;
  /** Token log-probabilities of the answer; only the `openai` adapter asked with `spec.logprobs` returns them. */
  logprobs: TokenLogprob[] | undefined;
  /** The model id the provider says answered (for example `gpt-4o-mini-2024-07-18`). */
  modelId: string;
}

/**
 * A model behind one provider API. `generate` makes exactly one HTTP call: it never retries (Temporal
 * owns retries) and it throws the provider library's errors unchanged; `toActivityFailure` in
 * `provider-failure.ts` turns them into Temporal failures.
 */
export interface ModelProvider {
  readonly spec: ModelSpec;
  generate(request: GenerateRequest): Promise<GenerateResult>;
}

/** What every adapter is built from. The API key is already read from the worker's environment. */
export interface ModelProviderAdapterOptions {
  spec: ModelSpec;
  /** The API key, or `undefined` to send none (local OpenAI-compatible servers). */
  apiKey: string | undefined;
  /** HTTP client; tests inject one that replays recorded responses. @default globalThis.fetch */
  fetch?: typeof fetch;
}
