export { applyTuningToGate, type GateTuning } from './apply-tuning-to-gate';
export { crossValidate, type CrossValidateOptions, type CrossValidation, type FoldResult, type HeldOutFigures } from './cross-validate';
export { fitThreshold, type FitThresholdOptions, type FittedFigures, type ThresholdFit } from './fit-threshold';
export { fitRecordCalibration, recalibrateRecords } from './recalibrate-records';
export { seededRandom } from './seeded-random';
export { stratifiedFolds } from './stratified-folds';
export { tuneRoute, type RouteTuning, type TuneRouteOptions } from './tune-route';
export { TuningError } from './tuning-error';
export {
  assertValidObjective,
  describeObjective,
  meetsObjective,
  type MaxCostPer1kObjective,
  type TargetAccuracyObjective,
  type TargetQualityRetentionObjective,
  type TuningObjective,
} from './tuning-objective';
