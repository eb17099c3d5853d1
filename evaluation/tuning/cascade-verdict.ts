import type { CertificationMethod } from './certification';
import type { RungFigures } from './threshold-ladder';

/**
 * What tuning concludes before any threshold:
 *
 * - `pays`: a cascade meets the objective at the stated confidence and costs less than the flagship alone;
 * - `cheap-alone`: even accepting every answer that passes the gate's deterministic checks meets it;
 * - `does-not-pay`: on these rows no threshold that costs less than the flagship meets the objective: call
 *   the flagship directly;
 * - `not-enough-rows`: some threshold looks as if it would pay, but these rows cannot certify it (the
 *   decision says how many rows would);
 * - `unreachable`: not even the flagship alone (nor any cascade) meets the objective on these rows.
 */
export const cascadeVerdicts = ['pays', 'cheap-alone', 'does-not-pay', 'not-enough-rows', 'unreachable'] as const;
export type CascadeVerdict = (typeof cascadeVerdicts)[number];

/** What tuning writes into the route. */
export type TunedRoute =
  | { kind: 'cascade'; /** The gate accepts an answer whose decision value is at least this. */ threshold: number }
  | { kind: 'flagship-only' }
  | { kind: 'unchanged' };

/** A cascade at one rung of the ladder, on the rows it was decided on. Plain JSON. */
export interface RungSummary extends RungFigures {
  rung: number;
  threshold: number;
  /** Saving against the flagship alone, as a share of its cost. */
  savingShare: number;
  /** A lower confidence bound of that share (normal approximation over rows). */
  savingShareLowerBound: number;
}

/** The decision of a tuning, and the figures behind it. Plain JSON. */
export interface CascadeDecision {
  verdict: CascadeVerdict;
  /** How the objective was certified. */
  method: CertificationMethod;
  confidence: number;
  route: TunedRoute;
  /** The cascade written (for `pays` and `cheap-alone`). */
  chosen?: RungSummary;
  /** For quality objectives: the loss against the flagship (0.01 is a point) the method certifies at `chosen`. */
  certifiedLoss?: number;
  /** For quality objectives: the tightest loss a cascade that pays can be certified at on these rows, and that cascade. */
  tightest?: { loss: number; cascade: RungSummary };
  /** For `not-enough-rows` (quality objectives): how many rows like these an exact certificate would take, and the cascade it would certify. */
  rowsNeeded?: { rows: number; cascade: RungSummary };
  /** Sentences for a person, the first of which says the verdict. */
  explanation: string[];
}
