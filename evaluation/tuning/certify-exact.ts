import { clopperPearsonLower, clopperPearsonUpper } from './binomial-bounds';
import { runningMaximum, type Certification } from './certification';
import type { ThresholdLadder } from './threshold-ladder';
import type { TuningObjective } from './tuning-objective';

/**
 * Exact, distribution-free certification of every rung for a quality objective (see `CertificationMethod`).
 *
 * - `max-accuracy-loss` (δ): the loss against the flagship at a rung is at most the rate of *harmed* rows
 *   (accepted, cheap wrong, flagship right), a binomial proportion; certified when its Clopper–Pearson
 *   upper bound is at most δ. Rung 0 escalates every row and loses nothing: certified outright.
 * - `target-quality-retention` (r): harmed rate ≤ (1 − r) × flagship accuracy, with the harmed rate's upper
 *   bound and the flagship accuracy's lower bound each at half the error budget (a union bound).
 * - `target-accuracy` (a): the error rate's upper bound at most 1 − a; rung 0 (the flagship alone) is
 *   tested too.
 *
 * Bounding the loss by the harmed rows ignores rows the cheap model wins, so it is conservative when the
 * cheap model is often right where the flagship is wrong.
 */
export function certifyExact(options: {
  ladder: ThresholdLadder;
  objective: TuningObjective;
  confidence: number;
}): Certification {
  const { ladder, objective, confidence } = options;
  const alpha = 1 - confidence;
  const trials = ladder.rows;
  // Many rungs share a count: each bound is computed once.
  const bounds = new Map<string, number>();
  const upper = (events: number, boundAlpha: number) => {
    const key = `${events}/${boundAlpha}`;
    let bound = bounds.get(key);
    if (bound === undefined) bounds.set(key, (bound = clopperPearsonUpper({ events, trials, alpha: boundAlpha })));
    return bound;
  };
  const harmedBound = (events: number, share: number) => upper(events, alpha * share);
  let excess: number[];
  switch (objective.kind) {
    case 'max-accuracy-loss': {
      const allowed = objective.points / 100;
      excess = ladder.steps.map((step, rung) => (rung === 0 ? -allowed : harmedBound(step.harmed, 1) - allowed));
      break;
    }
    case 'target-quality-retention': {
      const flagshipLower = clopperPearsonLower({ events: ladder.flagshipCorrect, trials, alpha: alpha / 2 });
      const allowed = (1 - objective.retention) * flagshipLower;
      excess = ladder.steps.map((step, rung) => (rung === 0 ? -allowed : harmedBound(step.harmed, 0.5) - allowed));
      break;
    }
    case 'target-accuracy': {
      const allowed = 1 - objective.accuracy;
      excess = ladder.steps.map((step) => upper(step.errors, alpha) - allowed);
      break;
    }
    case 'max-cost-per-1k':
      throw new RangeError('certifyExact: a cost cap is certified by the bootstrap, not by counts');
  }
  const certifiableLoss = runningMaximum(
    ladder.steps.map((step, rung) => (rung === 0 ? 0 : harmedBound(step.harmed, 1))),
  );
  return { method: 'exact', confidence, excess, certifiableLoss };
}
