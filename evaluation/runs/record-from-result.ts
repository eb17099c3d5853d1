import type { EvaluationRecord } from '../analysis/evaluation-record';
import { workflowIdOf } from '../../client/cascade-client';
import type { CascadeCost, CascadeResult, TierReport } from '../../contracts/cascade/cascade-result';
import { failureTypes } from '../../contracts/failure-types';
import type { RoutePolicy } from '../../contracts/cascade/route-policy';
import type { RecordedRow } from '../datasets/recorded-row';
import { findThresholdedGate, readGateVerdict } from './thresholded-gate';

/** An item whose flagship gave no answer (a failed cascade, or a failed shadow call): counted as flagship wrong. */
export interface EvaluationFailure {
  /** The dataset row id. */
  id: string;
  workflowId: string;
  /** `CascadeFailed` (the escalation failed) or `ShadowFailed` (the flagship's shadow call failed), or the failure's own type. */
  type: string;
  /** Why the flagship gave no answer, e.g. the tier's error type and message. */
  message: string;
}

/** The stable type of an accepted item whose flagship shadow call failed. */
export const shadowFailedType = failureTypes.shadowFailed;

/**
 * The evaluation record of a finished cascade: the dataset's labels of the route's two models, the gate's
 * reading of the cheap answer (see `readGateVerdict`), and the costs of the three lines. The flagship's
 * cost is that of its escalation call, or of its shadow call when the cheap answer was accepted.
 * A failed shadow call counts as flagship wrong and is returned as a failure too.
 */
export function recordFromResult(options: {
  row: RecordedRow;
  result: CascadeResult & { workflowId?: string };
  policy: RoutePolicy;
}): {
  record: EvaluationRecord;
  failure?: EvaluationFailure;
} {
  const { row, result, policy } = options;
  const reading = readGateVerdict(findThresholdedGate(policy.gate), result.verdict);
  const flagshipReport =
    result.outcome === 'escalated'
      ? result.tiers.find((tier) => tier.tier === 'flagship' && tier.role !== 'shadow')
      : result.shadow?.report;
  const flagshipAnswered = flagshipReport?.status === 'answered';
  const record: EvaluationRecord = {
    ...labelsOf(row, policy),
    flagshipCorrect: flagshipAnswered && labelOf(row, policy.flagship.model.model),
    ...reading,
    cheapCostUsd: result.cost.cheapUsd,
    gateCostUsd: result.cost.judgeUsd,
    flagshipCostUsd: flagshipReport?.cost.usd ?? 0,
  };
  if (flagshipAnswered) return { record };
  return {
    record,
    failure: {
      id: row.id,
      workflowId: result.workflowId ?? workflowIdOf(result.requestId),
      type: shadowFailedType,
      message: describeUnanswered(flagshipReport),
    },
  };
}

/** What a `CascadeFailedError` of the cascade workflow carries in its details. */
interface CascadeFailureDetails {
  cost?: Partial<CascadeCost>;
  tiers?: TierReport[];
}

/**
 * The evaluation record of a cascade that ended without an answer: the flagship counts as wrong, the item
 * escalates at every threshold (the verdict is not in a failure's details), and the costs are what was billed.
 */
export function recordFromFailure(options: {
  row: RecordedRow;
  policy: RoutePolicy;
  workflowId: string;
  type: string;
  message: string;
  details: unknown;
}): {
  record: EvaluationRecord;
  failure: EvaluationFailure;
} {
  const details = (options.details ?? {}) as CascadeFailureDetails;
  const flagshipReport = details.tiers?.find((tier) => tier.tier === 'flagship' && tier.role !== 'shadow');
  return {
    record: {
      ...labelsOf(options.row, options.policy),
      flagshipCorrect: false,
      score: 0,
      deterministicPass: false,
      signal: undefined,
      cheapCostUsd: details.cost?.cheapUsd ?? 0,
      gateCostUsd: details.cost?.judgeUsd ?? 0,
      flagshipCostUsd: flagshipReport?.cost.usd ?? 0,
    },
    failure: {
      id: options.row.id,
      workflowId: options.workflowId,
      type: options.type,
      message: flagshipReport ? describeUnanswered(flagshipReport) : options.message,
    },
  };
}

function labelsOf(row: RecordedRow, policy: RoutePolicy): Pick<EvaluationRecord, 'id' | 'subset' | 'cheapCorrect'> {
  return { id: row.id, subset: row.dataset, cheapCorrect: labelOf(row, policy.cheap.model.model) };
}

function labelOf(row: RecordedRow, model: string): boolean {
  const response = row.responses[model];
  if (!response) throw new Error(`row ${row.id} has no recorded answer of model "${model}"`);
  return response.correct;
}

function describeUnanswered(report: TierReport | undefined): string {
  if (!report) return 'the flagship was not called';
  return `flagship ${report.model} ${report.status}${report.errorType ? `: ${report.errorType}` : ''}${report.errorMessage ? `: ${report.errorMessage}` : ''}`;
}
