/** Stable `type` strings of the ways a back-fill source can be wrong. Callers match on these, never on messages. */
export const backfillSourceErrorTypes = {
  /** The `--source` argument or a source descriptor is malformed: an unknown scheme, a bad table name, a gzipped file. */
  invalid: 'BackfillSourceInvalid',
  /** A PostgreSQL URL carries a password, which would be stored in the workflow history. */
  passwordInUrl: 'BackfillSourcePasswordInUrl',
  /** The source's file does not exist or is not a regular file. */
  notFound: 'BackfillSourceNotFound',
  /** A cursor that this source did not produce (or produced for another kind of source). */
  invalidCursor: 'BackfillCursorInvalid',
  /** The file changed under a cursor: it shrank, or the cursor no longer falls at the start of a line. */
  sourceChanged: 'BackfillSourceChanged',
} as const;
export type BackfillSourceErrorType = (typeof backfillSourceErrorTypes)[keyof typeof backfillSourceErrorTypes];

/**
 * A back-fill source cannot be described, opened or read from the given cursor. Every type is
 * deterministic (the same argument or cursor fails the same way), so none is worth retrying.
 * Connection and query failures of a database are not wrapped: they stay retryable.
 */
export class BackfillSourceError extends Error {
  override readonly name = 'BackfillSourceError';
  /** Retrying the same call fails the same way. */
  readonly nonRetryable = true;

  constructor(
    readonly type: BackfillSourceErrorType,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
  }
}
