/**
 * Stable `type` strings of the ways getting a Temporal server can fail. Callers match on these, never
 * on messages.
 */
export const temporalSetupErrorTypes = {
  /** `TEMPORAL_CLI_PATH` names a file that is missing, not a file, or not executable. */
  cliPathInvalid: 'TemporalCliPathInvalid',
  /** No Temporal CLI was found and there is no `go` to build one. */
  goNotFound: 'GoNotFound',
  /** `go install` and the wrapper-module fallback both failed. */
  buildFailed: 'TemporalCliBuildFailed',
  /** Another process held the build lock for too long. */
  buildLockTimeout: 'TemporalCliBuildLockTimeout',
  /** The dev server's port is taken (by a Temporal server or something else). */
  portInUse: 'TemporalPortInUse',
  /** The dev server exited or did not answer in time. */
  devServerFailed: 'TemporalDevServerFailed',
  /** The Temporal server at `TEMPORAL_ADDRESS` (or a reused one) does not answer. */
  serverUnreachable: 'TemporalServerUnreachable',
  /** A search attribute exists with another type, or could not be registered. */
  searchAttributeConflict: 'SearchAttributeConflict',
} as const;
export type TemporalSetupErrorType = (typeof temporalSetupErrorTypes)[keyof typeof temporalSetupErrorTypes];

/** Getting a Temporal CLI binary or a Temporal server failed; `type` says how. */
export class TemporalSetupError extends Error {
  override readonly name = 'TemporalSetupError';

  constructor(
    readonly type: TemporalSetupErrorType,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
