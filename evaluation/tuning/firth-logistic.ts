/** A fitted logistic curve `p(u) = 1 / (1 + exp(-(intercept + slope × u)))`. Plain JSON. */
export interface LogisticCurve {
  intercept: number;
  slope: number;
}

/**
 * Fits a one-variable logistic regression by Firth's penalised likelihood (Jeffreys prior), which stays
 * finite when the outcome never (or always) happens, or when the variable separates the outcomes: the
 * usual case for rare harmed rows among confident answers, where plain maximum likelihood diverges and
 * would claim a risk of exactly 0. `weights` are case weights (bootstrap counts); rows of weight 0 are left out.
 */
export function fitFirthLogistic(options: {
  values: ArrayLike<number>;
  outcomes: ArrayLike<number>;
  weights?: ArrayLike<number>;
  /** Where the iterations start (a fit of similar rows converges in a few steps from it). @default intercept 0, slope 0 */
  start?: LogisticCurve;
}): LogisticCurve {
  const { values, outcomes, weights } = options;
  const rows = values.length;
  let intercept = options.start?.intercept ?? 0;
  let slope = options.start?.slope ?? 0;
  const probabilities = new Float64Array(rows);
  for (let iteration = 0; iteration < 50; iteration += 1) {
    // Fisher information [[i00, i01], [i01, i11]] at the current fit.
    let i00 = 0;
    let i01 = 0;
    let i11 = 0;
    for (let row = 0; row < rows; row += 1) {
      const weight = weights === undefined ? 1 : weights[row]!;
      if (weight === 0) continue;
      const p = logistic(intercept + slope * values[row]!);
      probabilities[row] = p;
      const w = weight * p * (1 - p);
      const u = values[row]!;
      i00 += w;
      i01 += w * u;
      i11 += w * u * u;
    }
    const determinant = i00 * i11 - i01 * i01;
    if (!(determinant > 1e-300)) break;
    const [j00, j01, j11] = [i11 / determinant, -i01 / determinant, i00 / determinant];
    // Firth's modified score: each row's residual moves by its leverage times (1/2 - p).
    let score0 = 0;
    let score1 = 0;
    for (let row = 0; row < rows; row += 1) {
      const weight = weights === undefined ? 1 : weights[row]!;
      if (weight === 0) continue;
      const u = values[row]!;
      const p = probabilities[row]!;
      const leverage = weight * p * (1 - p) * (j00 + 2 * j01 * u + j11 * u * u);
      const residual = weight * (outcomes[row]! - p) + leverage * (0.5 - p);
      score0 += residual;
      score1 += residual * u;
    }
    let step0 = j00 * score0 + j01 * score1;
    let step1 = j01 * score0 + j11 * score1;
    // Damped steps keep a nearly separated fit from overshooting.
    const largest = Math.max(step0 < 0 ? -step0 : step0, step1 < 0 ? -step1 : step1);
    if (largest > 5) {
      step0 *= 5 / largest;
      step1 *= 5 / largest;
    }
    intercept += step0;
    slope += step1;
    if (largest < 1e-8) break;
  }
  return { intercept, slope };
}

// A module-level binding: a global looked up in a hot loop is slow inside a vm context (the test runner's).
const exp = Math.exp;

export function logistic(linear: number): number {
  if (linear >= 0) return 1 / (1 + exp(-linear));
  const power = exp(linear);
  return power / (1 + power);
}

export function evaluateLogistic(curve: LogisticCurve, value: number): number {
  return logistic(curve.intercept + curve.slope * value);
}
