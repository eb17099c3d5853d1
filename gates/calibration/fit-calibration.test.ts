import { CalibrationError } from './calibration-error';
import { fitCalibration, type CalibrationMethod } from './fit-calibration';
import { fitIsotonic } from './fit-isotonic';
import { fitPlatt } from './fit-platt';

const examples = [
  { signal: -2, correct: false },
  { signal: -1.2, correct: true },
  { signal: -1, correct: false },
  { signal: -0.1, correct: true },
  { signal: 0, correct: true },
];

describe('fitCalibration', () => {
  it('fits the method asked for', () => {
    expect(fitCalibration('platt', examples)).toEqual(fitPlatt(examples));
    expect(fitCalibration('isotonic', examples)).toEqual(fitIsotonic(examples));
  });

  it('throws a CalibrationError for an unknown method', () => {
    const fit = () => fitCalibration('beta' as CalibrationMethod, examples);
    expect(fit).toThrow(CalibrationError);
    expect(fit).toThrow(`unknown calibration method "beta"; expected 'platt' or 'isotonic'`);
  });
});
