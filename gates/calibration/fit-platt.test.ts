import { calibrationSchema } from '../../contracts/cascade/gate-spec';
import { applyCalibration } from './apply-calibration';
import { CalibrationError } from './calibration-error';
import type { CalibrationExample } from './calibration-example';
import { fitPlatt } from './fit-platt';
import { logistic } from './logistic';
import { seededRandom } from '../../evaluation/tuning/seeded-random';

/** Examples drawn from a known logistic model, signals uniform in [-4, 0]. */
function logisticExamples(options: {
  slope: number;
  intercept: number;
  count: number;
  seed: number;
}): CalibrationExample[] {
  // Seeded, so the synthetic data are the same on every run.
  const random = seededRandom(options.seed).fraction;
  return Array.from({ length: options.count }, () => {
    const signal = -4 * random();
    return { signal, correct: random() < logistic(options.slope * signal + options.intercept) };
  });
}

function examplesAt(signal: number, outcomes: boolean[]): CalibrationExample[] {
  return outcomes.map((correct) => ({ signal, correct }));
}

describe('fitPlatt', () => {
  it('recovers the slope and intercept of the model the data were drawn from', () => {
    const fitted = fitPlatt(logisticExamples({ slope: 1.5, intercept: 2, count: 40000, seed: 7 }));
    expect(fitted.method).toBe('platt');
    expect(fitted.slope).toBeGreaterThan(1.4);
    expect(fitted.slope).toBeLessThan(1.6);
    expect(fitted.intercept).toBeGreaterThan(1.9);
    expect(fitted.intercept).toBeLessThan(2.1);
  });

  it('gives a calibration that never falls as the signal rises, valid for the gate schema', () => {
    const fitted = fitPlatt(logisticExamples({ slope: 0.8, intercept: 0.5, count: 2000, seed: 11 }));
    expect(calibrationSchema.parse(fitted)).toEqual(fitted);
    const probabilities = [-6, -4, -2, -1, -0.5, 0].map((signal) => applyCalibration(fitted, signal));
    probabilities.slice(1).forEach((probability, index) => expect(probability).toBeGreaterThan(probabilities[index]!));
  });

  it('stays finite when the data separate perfectly', () => {
    const fitted = fitPlatt([
      { signal: -2, correct: false },
      { signal: -1, correct: false },
      { signal: -0.5, correct: true },
      { signal: 0, correct: true },
    ]);
    expect(Number.isFinite(fitted.slope) && Number.isFinite(fitted.intercept)).toBe(true);
    expect(applyCalibration(fitted, -2)).toBeLessThan(0.5);
    expect(applyCalibration(fitted, 0)).toBeGreaterThan(0.5);
  });

  it("gives Platt's smoothed rate when every answer is right", () => {
    const fitted = fitPlatt([-1, -0.5, -0.2, -0.1, 0].map((signal) => ({ signal, correct: true })));
    expect(fitted.slope).toBe(0);
    expect(applyCalibration(fitted, -1)).toBeCloseTo(6 / 7, 12);
  });

  it("gives Platt's smoothed rate when every answer is wrong", () => {
    const fitted = fitPlatt([-1, -0.5, -0.2].map((signal) => ({ signal, correct: false })));
    expect(fitted.slope).toBe(0);
    expect(applyCalibration(fitted, 0)).toBeCloseTo(1 / 5, 12);
  });

  it('is flat at the mean smoothed target when the signal is constant', () => {
    const fitted = fitPlatt(examplesAt(-0.5, [true, true, true, false]));
    expect(fitted.slope).toBe(0);
    // Targets: 4/5 for each of the 3 right answers, 1/3 for the wrong one.
    expect(applyCalibration(fitted, -0.5)).toBeCloseTo((3 * (4 / 5) + 1 / 3) / 4, 12);
  });

  it('is flat rather than decreasing when a higher signal goes with more wrong answers', () => {
    const fitted = fitPlatt([
      ...examplesAt(-2, [true, true, true, false]),
      ...examplesAt(0, [false, false, false, true]),
    ]);
    expect(fitted.slope).toBe(0);
    expect(applyCalibration(fitted, -2)).toBeCloseTo(0.5, 12);
  });

  it('throws a CalibrationError for fewer than 2 examples', () => {
    expect(() => fitPlatt([])).toThrow(
      new CalibrationError({ message: 'fitPlatt needs at least 2 labelled examples, got 0' }),
    );
    const fitOne = () => fitPlatt([{ signal: -0.1, correct: true }]);
    expect(fitOne).toThrow(CalibrationError);
    expect(fitOne).toThrow('fitPlatt needs at least 2 labelled examples, got 1');
  });

  it('throws a CalibrationError naming an example whose signal is not finite', () => {
    expect(() =>
      fitPlatt([
        { signal: -0.1, correct: true },
        { signal: Number.NaN, correct: false },
      ]),
    ).toThrow('fitPlatt: examples[1].signal must be a finite number, got NaN');
    expect(() =>
      fitPlatt([
        { signal: -Infinity, correct: false },
        { signal: 0, correct: true },
      ]),
    ).toThrow('fitPlatt: examples[0].signal must be a finite number, got -Infinity');
  });

  it('throws a CalibrationError with a stable type that retrying cannot fix', () => {
    let caught: unknown;
    try {
      fitPlatt([]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CalibrationError);
    expect(caught).toMatchObject({ name: 'CalibrationError', type: 'InvalidCalibration', nonRetryable: true });
  });
});

describe('fitPlatt on heavy-tailed signals', () => {
  it('converges on every one of 200 seeded sets whose signal is the log of the chance of being right', () => {
    const random = seededRandom(7).fraction;
    for (let set = 0; set < 200; set += 1) {
      const examples = Array.from({ length: 200 }, () => {
        const chance = random();
        return { signal: Math.log(chance), correct: random() < chance };
      });
      const fitted = fitPlatt(examples);
      expect(fitted.slope).toBeGreaterThan(0);
    }
  });
});
