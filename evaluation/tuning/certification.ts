/**
 * How a bound on the objective was obtained, said beside every figure it backs:
 *
 * - `exact`: distribution-free. Clopper–Pearson bounds on counts of rows, tested rung by rung from the
 *   safest threshold down, stopping at the first that fails (fixed-sequence testing), so the chance that
 *   the chosen threshold breaks the promise on new rows like these is at most `1 - confidence`, with no
 *   assumption about how correctness depends on the signal.
 * - `model-based`: a logistic model of the per-row outcome against the signal's rank, refitted on each
 *   bootstrap resample of the rows; it needs fewer rows than `exact` but holds only as far as the model does.
 * - `bootstrap`: percentile bootstrap of the rows, for costs (sums of unequal amounts, not counts); approximate.
 */
export type CertificationMethod = 'exact' | 'model-based' | 'bootstrap';

/** The rungs of a threshold ladder that a method certifies for an objective. Plain JSON. */
export interface Certification {
  method: CertificationMethod;
  confidence: number;
  /**
   * Per rung: how far the upper confidence bound of the objective's risk lies above what the objective
   * allows (in the objective's unit: accuracy for quality objectives, USD per 1,000 requests for cost).
   * At most 0 when the rung is certified.
   */
  excess: number[];
  /**
   * Per rung, for quality objectives: the largest accuracy loss against the flagship (0.01 is one point)
   * the method certifies there, testing the rungs above it too (fixed sequence). Empty for cost.
   */
  certifiableLoss: number[];
}

/**
 * Fixed-sequence testing: the last rung of the unbroken run of certified rungs from rung `first`, or
 * `first - 1` when rung `first` itself fails. Every rung up to the returned one holds the objective at the
 * stated confidence, jointly, because each is tested only when all before it passed.
 */
export function lastCertifiedRung(excess: readonly number[], first = 0): number {
  let rung = first - 1;
  while (rung + 1 < excess.length && excess[rung + 1]! <= 0) rung += 1;
  return rung;
}

/** The running maximum: what a rung can certify once the rungs above it are counted too. */
export function runningMaximum(values: readonly number[]): number[] {
  const result: number[] = [];
  let highest = -Infinity;
  for (const value of values) {
    highest = Math.max(highest, value);
    result.push(highest);
  }
  return result;
}

/**
 * The same certification for another loss target, without refitting: for `max-accuracy-loss` a rung is
 * certified at δ exactly when the loss it can certify is at most δ.
 */
export function retargetLossCertification(certification: Certification, points: number): Certification {
  const allowed = points / 100;
  return {
    ...certification,
    excess: certification.certifiableLoss.map((loss, rung) => (rung === 0 ? -allowed : loss - allowed)),
  };
}
