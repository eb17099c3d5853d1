import { defaultMaximumRequestBytes } from '../../../contracts/cascade/message-text-problems';

/** How large a source's rows and pages may be: a page is an activity's result, which Temporal caps at 2 MiB. */
export interface RowLimits {
  /** A row above this is that row's failure (`unreadable`), and the job goes on. */
  maxRowBytes: number;
  /** A page stops before the row that would take it above this (a page holds at least one row). */
  maxPageBytes: number;
}

/** Room in a row for its fields besides the message text (request id, tags, output schema). */
export const rowOverheadBytes = 64 * 1024;

/** The limits for a worker whose requests may hold `maximumRequestBytes` of text. */
export function rowLimitsFor(maximumRequestBytes: number): RowLimits {
  return { maxRowBytes: maximumRequestBytes + rowOverheadBytes, maxPageBytes: 1024 * 1024 };
}

export const defaultRowLimits: RowLimits = rowLimitsFor(defaultMaximumRequestBytes);

/** Why an oversized row was not read. */
export function oversizedRowReason(bytes: number, limits: RowLimits): string {
  return `row is ${bytes} bytes, above the ${limits.maxRowBytes} bytes a request row may take (limits.maximumRequestBytes of text and ${rowOverheadBytes} bytes for its other fields)`;
}
