import { CascadeError } from '../../contracts/cascade-error';
import { failureTypes } from '../../contracts/failure-types';

/** Stable `type` strings of the ways an evaluation's input can be wrong. Callers match on these, never on messages. */
export const evaluationInputErrorTypes = {
  /** `--subset` names no subset of the dataset; the message lists the available ones. */
  unknownSubset: failureTypes.unknownSubset,
  /** A model of the route has no recorded answer in (some of) the selected rows, so it cannot be labelled or replayed. */
  modelNotInDataset: failureTypes.modelNotInDataset,
  /** The dataset, subset and limit select no row. */
  emptySelection: failureTypes.emptySelection,
  /** The route's gate has a shape `analyze` cannot read one thresholded score from. */
  unsupportedGate: failureTypes.unsupportedGate,
  /** The holdout split is malformed: a share outside (0, 1). */
  invalidHoldout: failureTypes.invalidHoldout,
} as const;
export type EvaluationInputErrorType = (typeof evaluationInputErrorTypes)[keyof typeof evaluationInputErrorTypes];

/** The evaluation's input (dataset, subset, models, route) cannot be evaluated; nothing was started. */
export class EvaluationInputError extends CascadeError {
  declare readonly type: EvaluationInputErrorType;
  override readonly name = 'EvaluationInputError';

  constructor(options: { type: EvaluationInputErrorType; message: string }) {
    super(options);
  }
}
