import type { EvaluationRecord } from '../analysis/evaluation-record';
import type { Certification, CertificationMethod } from './certification';
import { certifyExact } from './certify-exact';
import { certifyCostByBootstrap, certifyModelBased } from './certify-model-based';
import type { CascadeDecision, TunedRoute } from './cascade-verdict';
import { decideCascade } from './decide-cascade';
import { acceptsRecord, thresholdLadder, type DecisionVariable, type ThresholdLadder } from './threshold-ladder';
import type { TuningObjective } from './tuning-objective';

/** How a quality objective is certified: `exact` (distribution-free) or `model-based`. A cost cap always uses the bootstrap. */
export type QualityMethod = Extract<CertificationMethod, 'exact' | 'model-based'>;

/** Options of `tuneOnce`. */
export interface TuneOnceOptions {
  records: readonly EvaluationRecord[];
  objective: TuningObjective;
  variable: DecisionVariable;
  method: QualityMethod;
  confidence: number;
  /** Bootstrap resamples (model-based and cost). */
  resamples: number;
  seed: number;
  /** See `DecideCascadeOptions.minimumSaving`. */
  minimumSaving?: number;
}

/** One tuning of one set of rows: its ladder, certification and decision. */
export interface TunedOnce {
  ladder: ThresholdLadder;
  certification: Certification;
  decision: CascadeDecision;
}

export function tuneOnce(options: TuneOnceOptions): TunedOnce {
  const ladder = thresholdLadder(options.records, options.variable);
  const certification = certify({ ...options, ladder });
  return {
    ladder,
    certification,
    decision: decideCascade({
      records: options.records,
      ladder,
      objective: options.objective,
      certification,
      minimumSaving: options.minimumSaving,
    }),
  };
}

export function certify(options: TuneOnceOptions & { ladder: ThresholdLadder }): Certification {
  const { records, ladder, objective, confidence, resamples, seed } = options;
  if (objective.kind === 'max-cost-per-1k')
    return certifyCostByBootstrap({ records, ladder, objective, confidence, resamples, seed });
  return options.method === 'exact'
    ? certifyExact({ ladder, objective, confidence })
    : certifyModelBased({ records, ladder, objective, confidence, resamples, seed });
}

/** What a route tuned as `route` does with rows: counts and cost. Plain JSON. */
export interface RouteOutcome {
  rows: number;
  correct: number;
  escalated: number;
  costUsd: number;
  flagshipCorrect: number;
  flagshipCostUsd: number;
  cheapCorrect: number;
  cheapCostUsd: number;
}

/**
 * Applies a tuned route to rows: a cascade accepts the rows whose decision value reaches its threshold and
 * escalates the rest; a flagship-only route (or one left unchanged, counted as the flagship alone) sends
 * every row to the flagship.
 */
export function applyTunedRoute(
  records: readonly EvaluationRecord[],
  route: TunedRoute,
  variable: DecisionVariable,
): RouteOutcome {
  const outcome: RouteOutcome = { ...emptyOutcome(), rows: records.length };
  for (const record of records) {
    outcome.flagshipCorrect += Number(record.flagshipCorrect);
    outcome.flagshipCostUsd += record.flagshipCostUsd;
    outcome.cheapCorrect += Number(record.cheapCorrect);
    outcome.cheapCostUsd += record.cheapCostUsd;
    if (route.kind !== 'cascade') {
      outcome.escalated += 1;
      outcome.correct += Number(record.flagshipCorrect);
      outcome.costUsd += record.flagshipCostUsd;
    } else if (acceptsRecord(record, variable, route.threshold)) {
      outcome.correct += Number(record.cheapCorrect);
      outcome.costUsd += record.cheapCostUsd + record.gateCostUsd;
    } else {
      outcome.escalated += 1;
      outcome.correct += Number(record.flagshipCorrect);
      outcome.costUsd += record.cheapCostUsd + record.gateCostUsd + record.flagshipCostUsd;
    }
  }
  return outcome;
}

function emptyOutcome(): RouteOutcome {
  return {
    rows: 0,
    correct: 0,
    escalated: 0,
    costUsd: 0,
    flagshipCorrect: 0,
    flagshipCostUsd: 0,
    cheapCorrect: 0,
    cheapCostUsd: 0,
  };
}

/** Adds outcomes of disjoint rows. */
export function addOutcomes(outcomes: readonly RouteOutcome[]): RouteOutcome {
  const total = emptyOutcome();
  for (const outcome of outcomes)
    for (const key of Object.keys(total) as Array<keyof RouteOutcome>) total[key] += outcome[key];
  return total;
}

/** Per-request figures of an outcome. Plain JSON. */
export interface OutcomeFigures {
  rows: number;
  accuracy: number;
  escalationRate: number;
  costPer1kUsd: number;
  flagshipAccuracy: number;
  flagshipCostPer1kUsd: number;
  cheapAccuracy: number;
  cheapCostPer1kUsd: number;
  /** Cascade accuracy minus flagship-only accuracy, in points. */
  accuracyGapPoints: number;
  /** Cascade cost over flagship-only cost (1 is the same). */
  costShare: number;
}

export function outcomeFigures(outcome: RouteOutcome): OutcomeFigures {
  const rows = Math.max(1, outcome.rows);
  return {
    rows: outcome.rows,
    accuracy: outcome.correct / rows,
    escalationRate: outcome.escalated / rows,
    costPer1kUsd: (outcome.costUsd / rows) * 1000,
    flagshipAccuracy: outcome.flagshipCorrect / rows,
    flagshipCostPer1kUsd: (outcome.flagshipCostUsd / rows) * 1000,
    cheapAccuracy: outcome.cheapCorrect / rows,
    cheapCostPer1kUsd: (outcome.cheapCostUsd / rows) * 1000,
    accuracyGapPoints: ((outcome.correct - outcome.flagshipCorrect) / rows) * 100,
    costShare: outcome.flagshipCostUsd > 0 ? outcome.costUsd / outcome.flagshipCostUsd : 0,
  };
}
