import { CalibrationError } from './calibration-error';
import type { CalibrationExample } from './calibration-example';
import { brierScore, expectedCalibrationError } from './calibration-quality';

const constant = (probability: number) => ({
  method: 'isotonic' as const,
  points: [[0, probability]] as Array<[number, number]>,
});

function outcomes(signal: number, correct: boolean[]): CalibrationExample[] {
  return correct.map((value) => ({ signal, correct: value }));
}

describe('brierScore', () => {
  it('is the mean squared gap between the probability and the outcome', () => {
    expect(brierScore({ method: 'platt', slope: 0, intercept: 0 }, outcomes(-1, [true, false, true]))).toBe(0.25);
    // 4 right at 0.8 (0.04 each) and 1 wrong (0.64).
    expect(brierScore(constant(0.8), outcomes(-1, [true, true, true, true, false]))).toBeCloseTo(0.16, 12);
  });

  it('is rate * (1 - rate) for the constant base-rate predictor', () => {
    expect(brierScore(constant(0.75), outcomes(-1, [true, true, true, false]))).toBeCloseTo(0.75 * 0.25, 12);
  });

  it('throws a CalibrationError without examples', () => {
    expect(() => brierScore(constant(0.5), [])).toThrow(
      new CalibrationError({ message: 'brierScore needs at least 1 labelled example, got 0' }),
    );
  });
});

describe('expectedCalibrationError', () => {
  const twoLevels = {
    method: 'isotonic' as const,
    points: [
      [-1, 0.1],
      [0, 0.9],
    ] as Array<[number, number]>,
  };

  it('is 0 when each bin is right as often as it predicts', () => {
    expect(expectedCalibrationError(constant(0.8), outcomes(0, [true, true, true, true, false]))).toBeCloseTo(0, 12);
  });

  it('averages the per-bin gaps, weighted by bin size', () => {
    // Bin of 0.1: half right (gap 0.4); bin of 0.9: all right (gap 0.1); equal sizes.
    const examples = [...outcomes(-1, [true, false]), ...outcomes(0, [true, true])];
    expect(expectedCalibrationError(twoLevels, examples)).toBeCloseTo(0.25, 12);
  });

  it('puts a probability of 1 in the last bin and takes the number of bins', () => {
    expect(expectedCalibrationError(constant(1), outcomes(0, [true, false]))).toBeCloseTo(0.5, 12);
    const examples = [...outcomes(-1, [true, false]), ...outcomes(0, [true, true])];
    // One bin: mean prediction 0.5 against 3 right out of 4.
    expect(expectedCalibrationError(twoLevels, examples, 1)).toBeCloseTo(0.25, 12);
  });

  it('throws a CalibrationError for a number of bins that is not a positive integer, or no examples', () => {
    expect(() => expectedCalibrationError(constant(0.5), outcomes(0, [true]), 0)).toThrow(
      'expectedCalibrationError: bins must be a positive integer, got 0',
    );
    expect(() => expectedCalibrationError(constant(0.5), outcomes(0, [true]), 2.5)).toThrow(
      'expectedCalibrationError: bins must be a positive integer, got 2.5',
    );
    expect(() => expectedCalibrationError(constant(0.5), [])).toThrow(
      'expectedCalibrationError needs at least 1 labelled example, got 0',
    );
  });
});
