import { promptKey } from '../datasets/prompt-key';
import type { RecordedResponse, RecordedRow } from '../datasets/recorded-row';
import type { AnswerToken, ModelOutcome, ServedModel } from './served-model';
import { splitIntoTokens } from './word-tokens';

export interface DatasetReplayOptions {
  /** Recorded rows; a prompt recorded twice for the same model keeps its first record. */
  rows: readonly RecordedRow[];
  /** Each answer waits `latency_ms × latencyScale` milliseconds. @default 0 */
  latencyScale?: number;
}

/**
 * Models replayed from recorded datasets: every model id that appears in some row's `responses`.
 * A call gets the recorded answer of that model to the row whose messages match the request
 * (by `promptKey`): the recorded text and usage, and the recorded confidence as the logprob of the
 * first token (the others 0; no logprobs at all when the confidence is null). A prompt the model
 * has no record of gets a 404. `max_tokens` does not cut a recorded answer. A dataset records one
 * answer per model and prompt, so every sample gets it whatever the `temperature`: self-consistency
 * cannot be measured on replayed data (all samples agree).
 */
export function createDatasetReplay(options: DatasetReplayOptions): ServedModel[] {
  const latencyScale = options.latencyScale ?? 0;
  const recordsByModel = new Map<string, Map<string, RecordedResponse>>();
  for (const row of options.rows) {
    const key = promptKey(row.messages);
    for (const [model, response] of Object.entries(row.responses)) {
      let records = recordsByModel.get(model);
      if (records === undefined) recordsByModel.set(model, (records = new Map()));
      if (!records.has(key)) records.set(key, response);
    }
  }
  return [...recordsByModel].map(([model, records]) => ({
    id: model,
    answer(call): ModelOutcome {
      const response = records.get(call.promptKey);
      if (response === undefined) {
        return {
          kind: 'error',
          status: 404,
          code: 'recorded_answer_not_found',
          message: `no recorded answer of model ${model} for this prompt`,
          retryAfterSeconds: undefined,
        };
      }
      return {
        kind: 'answer',
        text: response.text,
        tokens: recordedTokens(response),
        hasLogprobs: response.confidence !== null,
        promptTokens: response.usage.input_tokens,
        completionTokens: response.usage.output_tokens,
        truncatable: false,
        latencyMs: response.latency_ms * latencyScale,
      };
    },
  }));
}

function recordedTokens(response: RecordedResponse): AnswerToken[] {
  const pieces = splitIntoTokens(response.text);
  // An empty answer still carries its confidence on one empty token.
  const tokens = pieces.length > 0 ? pieces : [response.text];
  return tokens.map((token, index) => ({ token, logprob: index === 0 ? (response.confidence ?? 0) : 0 }));
}
