import { CascadeError } from '../contracts/cascade-error';
import { failureTypes } from '../contracts/failure-types';

/**
 * A gate that cannot be evaluated because it is set up wrong: an invalid JSON Schema, a `schemaName`
 * nobody registered, an unusable regular expression. It says nothing about the answer, so it is never
 * turned into a failed verdict; the caller reports it as a configuration failure, and retrying cannot help.
 */
export class GateConfigurationError extends CascadeError {
  declare readonly type: typeof failureTypes.invalidGateConfiguration;
  override readonly name = 'GateConfigurationError';

  constructor(options: { message: string; cause?: unknown }) {
    super({ ...options, type: failureTypes.invalidGateConfiguration });
  }
}
