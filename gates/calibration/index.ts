export { applyCalibration } from './apply-calibration';
export { CalibrationError } from './calibration-error';
export type { CalibrationExample } from './calibration-example';
export { brierScore, expectedCalibrationError } from './calibration-quality';
export { fitCalibration, type CalibrationMethod } from './fit-calibration';
export { fitIsotonic, type IsotonicCalibration } from './fit-isotonic';
export { fitPlatt, type PlattCalibration } from './fit-platt';
