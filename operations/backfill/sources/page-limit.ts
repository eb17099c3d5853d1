import { BackfillSourceError, backfillSourceErrorTypes } from './backfill-source-error';

/** The `limit` of `RequestSource.readPage`, checked: a positive integer, else a `BackfillSourceInvalid` error. */
export function checkPageLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new BackfillSourceError({
      type: backfillSourceErrorTypes.invalid,
      message: `page limit must be a positive integer, not ${limit}`,
    });
  }
}
