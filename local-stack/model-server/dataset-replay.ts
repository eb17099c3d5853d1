import { promptKey } from '../../evaluation/datasets/prompt-key';
import type { RecordedResponse, RecordedRow } from '../../evaluation/datasets/recorded-row';
import type { AnswerToken, ModelCall, ModelOutcome, ServedModel } from './served-model';
import { splitIntoTokens } from './word-tokens';

export interface DatasetReplayOptions {
  /**
   * Recorded rows. A prompt recorded twice for the same model keeps its first record for calls
   * without a row id; a row id that repeats (across datasets) keeps its first row.
   */
  rows: readonly RecordedRow[];
  /** Each answer waits `latency_ms × latencyScale` milliseconds. @default 0 */
  latencyScale?: number;
}

/** A recorded row as replay looks it up by id. */
interface IndexedRow {
  promptKey: string;
  responses: RecordedRow['responses'];
}

/**
 * Models replayed from recorded datasets: every model id that appears in some row's `responses`.
 *
 * A call that names a dataset row (`call.datasetRowId`, from the `X-Cascade-Dataset-Row` header) gets
 * that row's recorded answer of the model: an unknown row id is a 404 `dataset_row_not_found`, a row
 * whose messages differ from the request's (by `promptKey`) a 400 `dataset_row_prompt_mismatch`, a row
 * without an answer of the model a 404 `recorded_answer_not_found`. A call without a row id gets the
 * answer of the first row whose messages match the request (by `promptKey`); a prompt the model has no
 * record of gets a 404 `recorded_answer_not_found`.
 *
 * The answer is the recorded text and usage, and the recorded confidence as the logprob of the first
 * token (the others 0; no logprobs at all when the confidence is null). `max_tokens` does not cut a
 * recorded answer. A dataset records one answer per model and row, so every sample gets it whatever
 * the `temperature`: self-consistency cannot be measured on replayed data (all samples agree).
 */
export function createDatasetReplay(options: DatasetReplayOptions): ServedModel[] {
  const latencyScale = options.latencyScale ?? 0;
  const rowsById = new Map<string, IndexedRow>();
  const recordsByModel = new Map<string, Map<string, RecordedResponse>>();
  for (const row of options.rows) {
    const key = promptKey(row.messages);
    if (!rowsById.has(row.id)) rowsById.set(row.id, { promptKey: key, responses: row.responses });
    for (const [model, response] of Object.entries(row.responses)) {
      let records = recordsByModel.get(model);
      if (records === undefined) recordsByModel.set(model, (records = new Map()));
      if (!records.has(key)) records.set(key, response);
    }
  }
  return [...recordsByModel].map(([model, recordsByPrompt]) => ({
    id: model,
    answer(call): ModelOutcome {
      const found =
        call.datasetRowId === undefined
          ? findByPrompt({ model, call, recordsByPrompt })
          : findByRow({ model, call, datasetRowId: call.datasetRowId, rowsById });
      return found.kind === 'error' ? found : recordedAnswer({ response: found.response, latencyScale });
    },
  }));
}

type Lookup = { kind: 'found'; response: RecordedResponse } | Extract<ModelOutcome, { kind: 'error' }>;

function findByPrompt(options: {
  model: string;
  call: ModelCall;
  recordsByPrompt: ReadonlyMap<string, RecordedResponse>;
}): Lookup {
  const response = options.recordsByPrompt.get(options.call.promptKey);
  if (response !== undefined) return { kind: 'found', response };
  return notFound({
    code: 'recorded_answer_not_found',
    message: `no recorded answer of model ${options.model} for this prompt`,
  });
}

function findByRow(options: {
  model: string;
  call: ModelCall;
  datasetRowId: string;
  rowsById: ReadonlyMap<string, IndexedRow>;
}): Lookup {
  const { model, datasetRowId } = options;
  const row = options.rowsById.get(datasetRowId);
  if (row === undefined) {
    return notFound({
      code: 'dataset_row_not_found',
      message: `no dataset row "${datasetRowId}" on this model server`,
    });
  }
  if (row.promptKey !== options.call.promptKey) {
    return {
      kind: 'error',
      status: 400,
      code: 'dataset_row_prompt_mismatch',
      message: `the request's messages differ from those of dataset row "${datasetRowId}"`,
      retryAfterSeconds: undefined,
    };
  }
  const response = row.responses[model];
  if (response !== undefined) return { kind: 'found', response };
  return notFound({
    code: 'recorded_answer_not_found',
    message: `no recorded answer of model ${model} in dataset row "${datasetRowId}"`,
  });
}

function notFound(options: { code: string; message: string }): Lookup {
  return { kind: 'error', status: 404, code: options.code, message: options.message, retryAfterSeconds: undefined };
}

function recordedAnswer(options: { response: RecordedResponse; latencyScale: number }): ModelOutcome {
  const { response } = options;
  return {
    kind: 'answer',
    text: response.text,
    tokens: recordedTokens(response),
    hasLogprobs: response.confidence !== null,
    promptTokens: response.usage.input_tokens,
    completionTokens: response.usage.output_tokens,
    truncatable: false,
    latencyMs: response.latency_ms * options.latencyScale,
  };
}

function recordedTokens(response: RecordedResponse): AnswerToken[] {
  const pieces = splitIntoTokens(response.text);
  // An empty answer still carries its confidence on one empty token.
  const tokens = pieces.length > 0 ? pieces : [response.text];
  return tokens.map((token, index) => ({ token, logprob: index === 0 ? (response.confidence ?? 0) : 0 }));
}
