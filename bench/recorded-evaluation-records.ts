import type { EvaluationRecord } from '../evaluation/analysis/evaluation-record';
import type { GateSpec } from '../contracts/cascade/gate-spec';
import type { RecordedRow } from '../evaluation/datasets/recorded-row';
import { findThresholdedGate, readGateVerdict } from '../evaluation/runs/thresholded-gate';
import { evaluateGate } from '../gates/evaluate-gate';
import { priceSourceOf } from '../evaluation/runs/price-sources';
import { priceUsage } from '../models/pricing/price-usage';

/**
 * Where the records' costs come from: `recorded`, the dataset's `cost_usd` (the prices of the day the calls
 * were made), or `price-table`, the recorded token usage priced by the maintained price table (the prices a
 * live cascade is billed at). One comparison never mixes them.
 */
export type RecordedPriceSource = 'recorded' | 'price-table';

/** Whether the price table prices a model (called through the OpenAI adapter's provider). */
export function priceTableKnows(model: string): boolean {
  return priceSourceOf({ provider: 'openai', model }) === 'price-table';
}

/**
 * Evaluation records straight from recorded answers, for benchmarks over thousands of rows: the
 * route's gate runs on the cheap model's recorded text with its recorded confidence as the first
 * token's log-probability (exactly what the local model server hands a live cascade), and costs are
 * the recorded `cost_usd` (the prices of the day the calls were made) or, with `prices: 'price-table'`,
 * the recorded usage at the price table's prices.
 *
 * Rows without a recorded answer of either model are skipped. The gate must be a thresholded gate,
 * or `all` of deterministic gates and one thresholded gate (what `tune` moves).
 */
export function recordedEvaluationRecords(options: {
  rows: readonly RecordedRow[];
  cheap: string;
  flagship: string;
  gate: GateSpec;
  prices?: RecordedPriceSource;
}): EvaluationRecord[] {
  const thresholded = findThresholdedGate(options.gate);
  const costOf = (model: string, response: RecordedRow['responses'][string]): number =>
    options.prices === 'price-table'
      ? priceUsage(
          { provider: 'openai', model },
          {
            inputTokens: response.usage.input_tokens,
            outputTokens: response.usage.output_tokens,
            cachedInputTokens: undefined,
            reasoningTokens: undefined,
          },
        ).usd
      : response.cost_usd;
  const records: EvaluationRecord[] = [];
  for (const row of options.rows) {
    const cheap = row.responses[options.cheap];
    const flagship = row.responses[options.flagship];
    if (!cheap || !flagship) continue;
    const logprobs = cheap.confidence === null ? undefined : [{ token: cheap.text, logprob: cheap.confidence }];
    const { verdict } = evaluateGate(options.gate, { text: cheap.text, ...(logprobs ? { logprobs } : {}) });
    const reading = readGateVerdict(thresholded, verdict);
    records.push({
      id: row.id,
      subset: row.dataset,
      cheapCorrect: cheap.correct,
      flagshipCorrect: flagship.correct,
      signal: reading.signal,
      score: reading.score,
      deterministicPass: reading.deterministicPass,
      cheapCostUsd: costOf(options.cheap, cheap),
      gateCostUsd: 0,
      flagshipCostUsd: costOf(options.flagship, flagship),
    });
  }
  return records;
}
