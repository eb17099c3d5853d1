import type { Calibration } from '../../contracts/cascade/gate-spec';
import { CalibrationError } from './calibration-error';
import { assertUsableExamples, type CalibrationExample } from './calibration-example';
import { logistic, softplus } from './logistic';

export type PlattCalibration = Extract<Calibration, { method: 'platt' }>;

/** L2 penalty on the slope of the standardised signal: enough to keep Newton's steps finite, too small to bias a real fit. */
const ridge = 1e-3;
const maximumIterations = 100;
const maximumHalvings = 40;

/**
 * Fits Platt scaling, p = 1 / (1 + exp(-(slope * signal + intercept))), by Newton's method on the
 * regularised cross-entropy, with Platt's smoothed targets: (N+ + 1) / (N+ + 2) for a right answer
 * and 1 / (N- + 2) for a wrong one. The targets keep the fit finite when the data separate, so every
 * answer right, every answer wrong and a constant signal all give a usable (flat) calibration.
 *
 * The slope is never negative: when the data say a higher log-probability means a lower chance of being
 * right, the fit is flat (slope 0, intercept at the smoothed base rate), as isotonic regression would be.
 *
 * Throws `CalibrationError` for fewer than 2 examples or a signal that is not a finite number.
 */
export function fitPlatt(examples: ReadonlyArray<CalibrationExample>): PlattCalibration {
  assertUsableExamples(examples, { minimum: 2, purpose: 'fitPlatt' });
  const positives = examples.filter((example) => example.correct).length;
  const negatives = examples.length - positives;
  const positiveTarget = (positives + 1) / (positives + 2);
  const negativeTarget = 1 / (negatives + 2);
  const targets = examples.map((example) => (example.correct ? positiveTarget : negativeTarget));
  const flat = flatCalibration(targets);

  const signals = examples.map((example) => example.signal);
  const center = mean(signals);
  const spread = Math.sqrt(mean(signals.map((signal) => (signal - center) ** 2)));
  // Without spread the signal says nothing; without a scale it cannot be standardised.
  if (!(spread > 0) || !Number.isFinite(spread)) return flat;

  const standardised = signals.map((signal) => (signal - center) / spread);
  const { slope, intercept } = newtonFit(standardised, targets, flat.intercept);
  if (slope <= 0) return flat;
  const fitted: PlattCalibration = {
    method: 'platt',
    slope: slope / spread,
    intercept: intercept - (slope * center) / spread,
  };
  if (!Number.isFinite(fitted.slope) || !Number.isFinite(fitted.intercept)) {
    throw new CalibrationError({
      message: `fitPlatt: the fit is not finite (slope ${fitted.slope}, intercept ${fitted.intercept}); the signals span too many orders of magnitude`,
    });
  }
  return fitted;
}

/** The best calibration that ignores the signal: the mean smoothed target, as a logit. */
function flatCalibration(targets: readonly number[]): PlattCalibration {
  const rate = mean(targets);
  return { method: 'platt', slope: 0, intercept: Math.log(rate / (1 - rate)) };
}

interface Line {
  slope: number;
  intercept: number;
}

/** Minimises the cross-entropy plus ridge / 2 * slope^2 by Newton steps, halved until the loss falls. */
function newtonFit(signals: readonly number[], targets: readonly number[], startIntercept: number): Line {
  let line: Line = { slope: 0, intercept: startIntercept };
  let loss = objective(line, signals, targets);
  for (let iteration = 0; iteration < maximumIterations; iteration += 1) {
    let gradientSlope = ridge * line.slope;
    let gradientIntercept = 0;
    let hessianSlopeSlope = ridge;
    let hessianSlopeIntercept = 0;
    let hessianInterceptIntercept = 0;
    signals.forEach((signal, index) => {
      const probability = logistic(line.slope * signal + line.intercept);
      const residual = probability - targets[index]!;
      // Floor the weight so a saturated fit still has an invertible Hessian.
      const weight = Math.max(probability * (1 - probability), 1e-12);
      gradientSlope += residual * signal;
      gradientIntercept += residual;
      hessianSlopeSlope += weight * signal * signal;
      hessianSlopeIntercept += weight * signal;
      hessianInterceptIntercept += weight;
    });
    if (Math.abs(gradientSlope) + Math.abs(gradientIntercept) < 1e-10 * signals.length) return line;

    const determinant = hessianSlopeSlope * hessianInterceptIntercept - hessianSlopeIntercept ** 2;
    const stepSlope =
      -(hessianInterceptIntercept * gradientSlope - hessianSlopeIntercept * gradientIntercept) / determinant;
    const stepIntercept =
      -(hessianSlopeSlope * gradientIntercept - hessianSlopeIntercept * gradientSlope) / determinant;
    const decrease = gradientSlope * stepSlope + gradientIntercept * stepIntercept;

    const previousLoss = loss;
    let scale = 1;
    let accepted = false;
    for (let halving = 0; halving < maximumHalvings; halving += 1) {
      const candidate = { slope: line.slope + scale * stepSlope, intercept: line.intercept + scale * stepIntercept };
      const candidateLoss = objective(candidate, signals, targets);
      // Armijo's sufficient decrease.
      if (candidateLoss <= loss + 1e-4 * scale * decrease) {
        line = candidate;
        loss = candidateLoss;
        accepted = true;
        break;
      }
      scale /= 2;
    }
    // No step lowers the loss any more, or only by rounding: the minimum, to floating-point precision.
    // (An absolute gradient test alone never passes when a few signals sit far out in the tail.)
    if (!accepted || previousLoss - loss <= 1e-12 * Math.max(1, Math.abs(previousLoss))) return line;
  }
  throw new CalibrationError({ message: `fitPlatt did not converge in ${maximumIterations} Newton steps` });
}

function objective(line: Line, signals: readonly number[], targets: readonly number[]): number {
  let total = (ridge / 2) * line.slope ** 2;
  signals.forEach((signal, index) => {
    const z = line.slope * signal + line.intercept;
    const target = targets[index]!;
    total += target * softplus(-z) + (1 - target) * softplus(z);
  });
  return total;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
