export { applyTuningToGate, type GateTuning } from './apply-tuning-to-gate';
export { clopperPearsonLower, clopperPearsonUpper, rowsToCertify } from './binomial-bounds';
export { cascadeVerdicts, type CascadeDecision, type CascadeVerdict, type TunedRoute } from './cascade-verdict';
export type { Certification, CertificationMethod } from './certification';
export { crossValidate, type CrossValidateOptions, type CrossValidation, type FoldResult } from './cross-validate';
export { decideCascade, defaultMinimumSaving } from './decide-cascade';
export { fitRecordCalibration } from './fit-record-calibration';
export { seededRandom } from './seeded-random';
export { stratifiedFolds } from './stratified-folds';
export { thresholdLadder, type DecisionVariable, type ThresholdLadder } from './threshold-ladder';
export { tunedCurve, type TunedCurve, type TunedCurvePoint } from './tuned-curve';
export { tuneRoute, type RouteTuning, type TuneRouteOptions } from './tune-route';
export { TuningError } from './tuning-error';
export {
  assertValidObjective,
  describeObjective,
  type MaxAccuracyLossObjective,
  type MaxCostPer1kObjective,
  type TargetAccuracyObjective,
  type TargetQualityRetentionObjective,
  type TuningObjective,
} from './tuning-objective';
