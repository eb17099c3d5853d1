import { CascadeError } from '../../../contracts/cascade-error';
import { failureTypes } from '../../../contracts/failure-types';

/** Stable `type` strings of the ways a back-fill source can be wrong. Callers match on these, never on messages. */
export const backfillSourceErrorTypes = {
  /** The `--source` argument or a source descriptor is malformed: an unknown scheme, a bad table name, a gzipped file. */
  invalid: failureTypes.backfillSourceInvalid,
  /** A PostgreSQL URL carries a password, which would be stored in the workflow history. */
  passwordInUrl: failureTypes.backfillSourcePasswordInUrl,
  /** The source's file does not exist or is not a regular file. */
  notFound: failureTypes.backfillSourceNotFound,
  /** A cursor that this source did not produce (or produced for another kind of source). */
  invalidCursor: failureTypes.backfillCursorInvalid,
  /** The file changed under a cursor: it shrank, or the cursor no longer falls at the start of a line. */
  sourceChanged: failureTypes.backfillSourceChanged,
} as const;
export type BackfillSourceErrorType = (typeof backfillSourceErrorTypes)[keyof typeof backfillSourceErrorTypes];

/**
 * A back-fill source cannot be described, opened or read from the given cursor. Every type is
 * deterministic (the same argument or cursor fails the same way), so none is worth retrying.
 * Connection and query failures of a database are not wrapped: they stay retryable.
 */
export class BackfillSourceError extends CascadeError {
  declare readonly type: BackfillSourceErrorType;
  override readonly name = 'BackfillSourceError';

  constructor(options: { type: BackfillSourceErrorType; message: string; cause?: unknown }) {
    super(options);
  }
}
