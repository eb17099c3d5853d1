import { CascadeError } from '../../contracts/cascade-error';
import { failureTypes } from '../../contracts/failure-types';
import type { ProviderKind } from '../../contracts/cascade/route-policy';

/** A model's API key variable is not set (or is empty) in the worker's environment. Not retried. */
export class MissingApiKeyError extends CascadeError {
  declare readonly type: typeof failureTypes.missingApiKey;
  override readonly name = 'MissingApiKeyError';
  /** The environment variable that should hold the key. */
  readonly variable: string;
  readonly provider: ProviderKind;
  readonly model: string;

  constructor(options: { variable: string; provider: ProviderKind; model: string }) {
    super({
      type: failureTypes.missingApiKey,
      message: `Environment variable ${options.variable} is not set or empty: it must hold the API key of ${options.provider} model ${options.model}.`,
    });
    this.variable = options.variable;
    this.provider = options.provider;
    this.model = options.model;
  }
}
