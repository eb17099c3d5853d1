import type { EvaluationRecord } from '../analysis/evaluation-record';
import { retargetLossCertification, type Certification } from './certification';
import type { CascadeVerdict, TunedRoute } from './cascade-verdict';
import { decideCascade } from './decide-cascade';
import { stratifiedFolds } from './stratified-folds';
import { thresholdLadder, type DecisionVariable } from './threshold-ladder';
import {
  addOutcomes,
  applyTunedRoute,
  certify,
  outcomeFigures,
  type OutcomeFigures,
  type QualityMethod,
  type RouteOutcome,
} from './tune-once';
import { objectiveMargin, type TuningObjective } from './tuning-objective';

/** Options of `crossValidate`. */
export interface CrossValidateOptions {
  records: readonly EvaluationRecord[];
  /** One or more objectives, each cross-validated on the same folds (a curve passes several). */
  objectives: readonly TuningObjective[];
  variable: DecisionVariable;
  method: QualityMethod;
  confidence: number;
  resamples: number;
  /** Folds (an integer from 2 to the number of records). */
  folds: number;
  /** Seed of the fold assignment and of each fold's bootstrap. */
  seed: number;
  /** See `DecideCascadeOptions.minimumSaving`. */
  minimumSaving?: number;
}

/** One fold: what was decided on the other folds and how it did on this one. Plain JSON. */
export interface FoldResult {
  fold: number;
  trainingRows: number;
  verdict: CascadeVerdict;
  route: TunedRoute;
  heldOut: OutcomeFigures;
}

/** How the whole tuning procedure does on rows it never saw, for one objective. Plain JSON. */
export interface CrossValidation {
  objective: TuningObjective;
  folds: FoldResult[];
  /** Every row judged once, by the decision of the fold that held it out. */
  pooled: OutcomeFigures & { objectiveMet: boolean };
  /** How many folds reached each verdict. */
  verdicts: Partial<Record<CascadeVerdict, number>>;
}

/**
 * K-fold cross-validation of the whole procedure — certification, verdict and threshold — so the figures
 * come from rows no decision was fitted on. Folds are stratified by subset and fixed by `seed`. A fold
 * whose verdict is not a cascade sends its held-out rows to the flagship alone, as the written route would.
 */
export function crossValidate(options: CrossValidateOptions): CrossValidation[] {
  const { records, objectives, folds: foldCount, seed } = options;
  const foldOf = stratifiedFolds({ records, folds: foldCount, seed });
  const results = objectives.map((objective) => ({
    objective,
    folds: [] as FoldResult[],
    outcomes: [] as RouteOutcome[],
  }));
  for (let fold = 0; fold < foldCount; fold += 1) {
    const training = records.filter((_, position) => foldOf[position] !== fold);
    const heldOut = records.filter((_, position) => foldOf[position] === fold);
    const ladder = thresholdLadder(training, options.variable);
    let lossCertification: Certification | undefined;
    for (const result of results) {
      const { objective } = result;
      let certification: Certification;
      if (objective.kind === 'max-accuracy-loss') {
        lossCertification ??= certify({ ...options, records: training, ladder, objective, seed: seed + fold });
        certification = retargetLossCertification(lossCertification, objective.points);
      } else {
        certification = certify({ ...options, records: training, ladder, objective, seed: seed + fold });
      }
      const decision = decideCascade({
        records: training,
        ladder,
        objective,
        certification,
        minimumSaving: options.minimumSaving,
      });
      const outcome = applyTunedRoute(heldOut, decision.route, options.variable);
      result.outcomes.push(outcome);
      result.folds.push({
        fold,
        trainingRows: training.length,
        verdict: decision.verdict,
        route: decision.route,
        heldOut: outcomeFigures(outcome),
      });
    }
  }
  return results.map(({ objective, folds, outcomes }) => {
    const pooled = outcomeFigures(addOutcomes(outcomes));
    const verdicts: Partial<Record<CascadeVerdict, number>> = {};
    for (const fold of folds) verdicts[fold.verdict] = (verdicts[fold.verdict] ?? 0) + 1;
    return { objective, folds, pooled: { ...pooled, objectiveMet: objectiveMargin(objective, pooled) >= 0 }, verdicts };
  });
}
