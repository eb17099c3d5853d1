import type { ChatMessage } from './chat-message';
import type { TokenLogprob, TokenUsage } from './tokens';
import type { ModelSpec, Tier } from './route-policy';

export type { TokenLogprob, TokenUsage } from './tokens';

/** What a model call is for: a tier of the cascade, or judging the cheap answer. */
export type ModelRole = Tier | 'judge';

/** Where a price came from. */
export type PriceSource = 'override' | 'price-table' | 'unpriced';

export interface CostLine {
  /** USD; 0 with source `unpriced` when neither the table nor the config knows the model. */
  usd: number;
  source: PriceSource;
}

/** Input of the `callModel` activity. */
export interface CallModelInput {
  tier: ModelRole;
  route: string;
  requestId: string;
  model: ModelSpec;
  messages: ChatMessage[];
  /** How long one attempt may take; the call is aborted after it. */
  timeoutMs: number;
  /** Longest provider `Retry-After` honoured as the next retry delay. */
  retryAfterCapMs: number;
  /**
   * The request's `datasetRowId`, sent as the `X-Cascade-Dataset-Row` header so a replaying server
   * answers with that row's recorded answer. Absent (not `undefined`) when the request has none.
   */
  datasetRowId?: string;
  /**
   * The tier has a model after this one: a 429 whose Retry-After is beyond the cap is then not retried,
   * and the tier moves on. Absent (not `false`) when this is the tier's last model.
   */
  fallbackAvailable?: true;
}

/** Output of the `callModel` activity: one model answer, normalised across providers. */
export interface ModelAnswer {
  tier: ModelRole;
  provider: ModelSpec['provider'];
  /** The model id that answered, as the provider reported it. */
  model: string;
  text: string;
  finishReason: string;
  usage: TokenUsage;
  /** Token log-probabilities of the answer, when the provider returned them. */
  logprobs: TokenLogprob[] | undefined;
  /** Only the leading tokens' log-probabilities are kept: all of them would not fit one payload. */
  logprobsTruncated?: true;
  cost: CostLine;
  /** Time of the successful call, in milliseconds. */
  latencyMs: number;
  /** Which attempt of the activity produced the answer (1 for the first). */
  attempt: number;
  /** Earlier attempts of this call the provider may have billed, cost unrecorded (see `CascadeCost.possiblyBilledCalls`). */
  possiblyBilledCalls?: number;
}

/** Input of the `priceUsage` local activity: what a model would charge for a usage. */
export interface PriceUsageInput {
  model: ModelSpec;
  usage: TokenUsage;
}
