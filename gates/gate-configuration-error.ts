/**
 * A gate that cannot be evaluated because it is set up wrong: an invalid JSON Schema, a `schemaName`
 * nobody registered, an unusable regular expression. It says nothing about the answer, so it is never
 * turned into a failed verdict; the caller reports it as a configuration failure, and retrying cannot help.
 */
export class GateConfigurationError extends Error {
  readonly type = 'InvalidGateConfiguration';
  /** Retrying the same gate on the same configuration fails the same way. */
  readonly nonRetryable = true;

  constructor(message: string) {
    super(message);
    this.name = 'GateConfigurationError';
  }
}
