import type { PromptMessage } from '../../evaluation/datasets/prompt-key';
import type { FaultStatus } from './scripted-model-spec';

/** One chat completion call as a served model sees it. */
export interface ModelCall {
  /** The model id the request named. */
  model: string;
  /** The request's messages, content flattened to text (`developer` read as `system`). */
  messages: PromptMessage[];
  /** `promptKey(messages)`. */
  promptKey: string;
  /** The number of this call for this (model, prompt), starting at 1. */
  callNumber: number;
  /**
   * The request's sampling temperature. Above 0, a scripted mix draws its branch anew for each call
   * (from the prompt and `callNumber`); 0 or absent, the same prompt always gets the same branch.
   */
  temperature?: number;
  /**
   * The replay-dataset row the caller re-asks (header `X-Cascade-Dataset-Row`). A replayed model
   * answers with that row's record; a scripted model ignores it.
   */
  datasetRowId?: string;
}

/** A token of an answer and its log-probability. */
export interface AnswerToken {
  token: string;
  logprob: number;
  /**
   * Other tokens the model might have put here, with their log-probabilities; a request's
   * `top_logprobs: n` gets the n best of these and the token itself. @default none
   */
  alternatives?: Array<{ token: string; logprob: number }>;
}

/** What a served model does with a call. */
export type ModelOutcome =
  | {
      kind: 'answer';
      text: string;
      /** The answer's tokens; they join back into `text`. */
      tokens: AnswerToken[];
      /** When false, a request for logprobs gets `content: []` (nothing was recorded). */
      hasLogprobs: boolean;
      promptTokens: number;
      completionTokens: number;
      /** Whether `max_tokens` may cut the answer short (recorded answers are replayed whole). */
      truncatable: boolean;
      /** Wait before answering. */
      latencyMs: number;
    }
  | {
      kind: 'error';
      status: FaultStatus;
      message: string;
      /** OpenAI's `error.code`. @default the usual code of the status */
      code?: string;
      retryAfterSeconds: number | undefined;
    }
  | { kind: 'hang' };

/** A model the server can answer for: scripted, or replayed from a dataset. */
export interface ServedModel {
  id: string;
  answer(call: ModelCall): ModelOutcome;
}
