import { CascadeError } from '../../contracts/cascade-error';
import { failureTypes } from '../../contracts/failure-types';

/**
 * Stable `type` strings of the ways getting a Temporal server can fail. Callers match on these, never
 * on messages.
 */
export const temporalSetupErrorTypes = {
  /** `TEMPORAL_CLI_PATH` names a file that is missing, not a file, or not executable. */
  cliPathInvalid: failureTypes.temporalCliPathInvalid,
  /** No Temporal CLI was found and there is no `go` to build one. */
  goNotFound: failureTypes.goNotFound,
  /** `go install` and the wrapper-module fallback both failed. */
  buildFailed: failureTypes.temporalCliBuildFailed,
  /** Another process held the build lock for too long. */
  buildLockTimeout: failureTypes.temporalCliBuildLockTimeout,
  /** The dev server's port is taken (by a Temporal server or something else). */
  portInUse: failureTypes.temporalPortInUse,
  /** The dev server exited or did not answer in time. */
  devServerFailed: failureTypes.temporalDevServerFailed,
  /** The Temporal server at `TEMPORAL_ADDRESS` (or a reused one) does not answer. */
  serverUnreachable: failureTypes.temporalServerUnreachable,
  /** A search attribute exists with another type, or could not be registered. */
  searchAttributeConflict: failureTypes.searchAttributeConflict,
} as const;
export type TemporalSetupErrorType = (typeof temporalSetupErrorTypes)[keyof typeof temporalSetupErrorTypes];

/** Getting a Temporal CLI binary or a Temporal server failed; `type` says how. */
export class TemporalSetupError extends CascadeError {
  declare readonly type: TemporalSetupErrorType;
  override readonly name = 'TemporalSetupError';

  constructor(options: { type: TemporalSetupErrorType; message: string; cause?: unknown }) {
    super(options);
  }
}
