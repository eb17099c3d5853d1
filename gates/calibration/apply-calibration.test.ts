import { applyCalibration } from './apply-calibration';
import { CalibrationError } from './calibration-error';

describe('applyCalibration', () => {
  describe('platt', () => {
    it('is the logistic of slope * signal + intercept', () => {
      const calibration = { method: 'platt' as const, slope: 2, intercept: 1 };
      expect(applyCalibration(calibration, 0)).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
      expect(applyCalibration(calibration, -0.5)).toBe(0.5);
      expect(applyCalibration(calibration, -2)).toBeCloseTo(1 / (1 + Math.exp(3)), 12);
    });

    it('stays in [0, 1] without overflow, whatever the signal', () => {
      const calibration = { method: 'platt' as const, slope: 1000, intercept: 0 };
      expect(applyCalibration(calibration, -10)).toBe(0);
      expect(applyCalibration(calibration, 10)).toBe(1);
      expect(applyCalibration(calibration, -Infinity)).toBe(0);
    });

    it('ignores the signal when the slope is 0, even an infinite one', () => {
      expect(applyCalibration({ method: 'platt', slope: 0, intercept: 0 }, -Infinity)).toBe(0.5);
    });
  });

  describe('isotonic', () => {
    const calibration = {
      method: 'isotonic' as const,
      points: [
        [-2, 0.1],
        [-1, 0.5],
        [0, 0.9],
      ] as Array<[number, number]>,
    };

    it('gives p at each point and interpolates linearly between points', () => {
      expect(applyCalibration(calibration, -2)).toBe(0.1);
      expect(applyCalibration(calibration, -1)).toBe(0.5);
      expect(applyCalibration(calibration, 0)).toBe(0.9);
      expect(applyCalibration(calibration, -1.5)).toBeCloseTo(0.3, 12);
      expect(applyCalibration(calibration, -0.25)).toBeCloseTo(0.8, 12);
    });

    it('clamps to the first p below the first point and the last p above the last', () => {
      expect(applyCalibration(calibration, -7)).toBe(0.1);
      expect(applyCalibration(calibration, -Infinity)).toBe(0.1);
      expect(applyCalibration(calibration, 0.3)).toBe(0.9);
    });

    it('is constant with one point', () => {
      const single = { method: 'isotonic' as const, points: [[-0.4, 0.7]] as Array<[number, number]> };
      expect([-3, -0.4, 0].map((signal) => applyCalibration(single, signal))).toEqual([0.7, 0.7, 0.7]);
    });

    it('interpolates across a flat stretch between two points of one level', () => {
      const steps = {
        method: 'isotonic' as const,
        points: [
          [-3, 0],
          [-2, 0.5],
          [-1, 0.5],
          [0, 1],
        ] as Array<[number, number]>,
      };
      expect(applyCalibration(steps, -1.5)).toBe(0.5);
      expect(applyCalibration(steps, -0.5)).toBe(0.75);
    });
  });

  it('throws a CalibrationError for a NaN signal', () => {
    const apply = () => applyCalibration({ method: 'platt', slope: 1, intercept: 0 }, Number.NaN);
    expect(apply).toThrow(CalibrationError);
    expect(apply).toThrow('cannot calibrate a signal that is not a number (NaN)');
  });

  it('throws a CalibrationError for an isotonic calibration without points', () => {
    expect(() => applyCalibration({ method: 'isotonic', points: [] }, -1)).toThrow(
      'isotonic calibration needs at least one point',
    );
  });

  it('gives the same number on every call', () => {
    const calibration = { method: 'platt' as const, slope: 0.36172905662541, intercept: 0.71151790504707 };
    const results = [1, 2, 3].map(() => applyCalibration(calibration, -0.4832178));
    expect(new Set(results).size).toBe(1);
  });
});
