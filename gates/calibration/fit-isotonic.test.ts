import { calibrationSchema } from '../../contracts/cascade/gate-spec';
import { applyCalibration } from './apply-calibration';
import { CalibrationError } from './calibration-error';
import type { CalibrationExample } from './calibration-example';
import { brierScore } from './calibration-quality';
import { fitIsotonic } from './fit-isotonic';
import { fitPlatt } from './fit-platt';
import { seededRandom } from '../../evaluation/tuning/seeded-random';

function example(signal: number, correct: boolean): CalibrationExample {
  return { signal, correct };
}

describe('fitIsotonic', () => {
  it('matches pool-adjacent-violators worked by hand', () => {
    // Sorted groups (share right): -3 (0), -2 (1/2), -1.5 (0), -1 (2/3), -0.5 (1), 0 (1/2).
    // -1.5 violates -2: pooled to [-2, -1.5] at 1/3. 0 violates -0.5: pooled to [-0.5, 0] at 2/3,
    // which equals -1's 2/3: pooled to [-1, 0] at 4/6.
    const examples = [
      example(0, true),
      example(-2, true),
      example(-1, false),
      example(-3, false),
      example(-0.5, true),
      example(-1.5, false),
      example(-1, true),
      example(-2, false),
      example(0, false),
      example(-1, true),
    ];
    expect(fitIsotonic(examples)).toEqual({
      method: 'isotonic',
      points: [
        [-3, 0],
        [-2, 1 / 3],
        [-1.5, 1 / 3],
        [-1, 2 / 3],
        [0, 2 / 3],
      ],
    });
  });

  it('gives each training signal exactly its pool share', () => {
    const examples = [
      example(-3, false),
      example(-2, true),
      example(-2, false),
      example(-1.5, false),
      example(-1, true),
      example(0, true),
    ];
    const calibration = fitIsotonic(examples);
    expect([-3, -2, -1.5, -1, 0].map((signal) => applyCalibration(calibration, signal))).toEqual([
      0,
      1 / 3,
      1 / 3,
      1,
      1,
    ]);
  });

  it('is monotone and valid for the gate schema on noisy data', () => {
    const random = seededRandom(3).fraction;
    const examples = Array.from({ length: 500 }, () => {
      const signal = Math.round(-3 * random() * 100) / 100;
      return example(signal, random() < Math.exp(signal / 2));
    });
    const calibration = fitIsotonic(examples);
    expect(calibrationSchema.parse(calibration)).toEqual(calibration);
    calibration.points.slice(1).forEach(([x, p], index) => {
      expect(x).toBeGreaterThan(calibration.points[index]![0]);
      expect(p).toBeGreaterThanOrEqual(calibration.points[index]![1]);
    });
  });

  it('is one point when the signal is constant', () => {
    expect(fitIsotonic([example(-0.2, true), example(-0.2, false), example(-0.2, true), example(-0.2, true)])).toEqual({
      method: 'isotonic',
      points: [[-0.2, 0.75]],
    });
  });

  it('is one level when every answer is right', () => {
    expect(fitIsotonic([example(-1, true), example(-0.3, true), example(0, true)])).toEqual({
      method: 'isotonic',
      points: [
        [-1, 1],
        [0, 1],
      ],
    });
  });

  it('beats Platt on its training data when the true shape is not logistic', () => {
    // Right 20% of the time below -1, 95% above: a step no logistic curve follows.
    const trueShare = (signal: number) => (signal < -1 ? 0.2 : 0.95);
    const random = seededRandom(5).fraction;
    const examples = Array.from({ length: 4000 }, () => {
      const signal = -5 * random();
      return example(signal, random() < trueShare(signal));
    });
    const isotonicBrier = brierScore(fitIsotonic(examples), examples);
    const plattBrier = brierScore(fitPlatt(examples), examples);
    const trueShapeBrier =
      examples.reduce((sum, { signal, correct }) => sum + (trueShare(signal) - (correct ? 1 : 0)) ** 2, 0) /
      examples.length;
    expect(isotonicBrier).toBeLessThan(plattBrier - 0.02);
    // Pool-adjacent-violators is the least-squares monotone fit: no monotone curve, the true one included, does better here.
    expect(isotonicBrier).toBeLessThanOrEqual(trueShapeBrier);
  });

  it('throws a CalibrationError without examples or with a signal that is not finite', () => {
    expect(() => fitIsotonic([])).toThrow(
      new CalibrationError({ message: 'fitIsotonic needs at least 1 labelled example, got 0' }),
    );
    expect(() => fitIsotonic([example(Infinity, true)])).toThrow(
      'fitIsotonic: examples[0].signal must be a finite number, got Infinity',
    );
    expect(() => fitIsotonic([{ signal: -1, correct: 'yes' as unknown as boolean }])).toThrow(
      'fitIsotonic: examples[0].correct must be a boolean, got yes',
    );
  });
});
