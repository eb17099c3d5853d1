/** The stable `type` of a report asked for with bad options (a malformed time, an unknown grouping key). */
export const reportInputErrorType = 'InvalidReportOptions';

/** `cascade report` was asked for something it cannot read; the message names the option. Nothing was read. */
export class ReportInputError extends Error {
  readonly type = reportInputErrorType;
  override readonly name = 'ReportInputError';
}
