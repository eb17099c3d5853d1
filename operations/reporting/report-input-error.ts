import { CascadeError } from '../../contracts/cascade-error';
import { failureTypes } from '../../contracts/failure-types';

/** The stable `type` of a report asked for with bad options (a malformed time, an unknown grouping key). */
export const reportInputErrorType = failureTypes.invalidReportOptions;

/** `cascade report` was asked for something it cannot read; the message names the option. Nothing was read. */
export class ReportInputError extends CascadeError {
  declare readonly type: typeof reportInputErrorType;
  override readonly name = 'ReportInputError';

  constructor(options: { message: string; cause?: unknown }) {
    super({ ...options, type: reportInputErrorType });
  }
}
