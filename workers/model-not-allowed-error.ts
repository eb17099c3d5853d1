import { CascadeError } from '../contracts/cascade-error';
import { failureTypes } from '../contracts/failure-types';
import type { ModelSpec } from '../contracts/cascade/route-policy';

/**
 * A policy names a provider endpoint or API key variable that the worker's own configuration does not
 * have. Not retried: a starter cannot make the worker send a key to an endpoint it was not given.
 */
export class ModelNotAllowedError extends CascadeError {
  declare readonly type: typeof failureTypes.modelNotAllowed;
  override readonly name = 'ModelNotAllowedError';

  constructor(options: { spec: ModelSpec }) {
    const { spec } = options;
    super({
      type: failureTypes.modelNotAllowed,
      message: `model ${spec.model}: provider ${spec.provider} at ${spec.baseUrl ?? 'its default endpoint'} with key variable ${spec.apiKeyEnv ?? '(conventional)'} is not in this worker's configuration`,
    });
  }
}
