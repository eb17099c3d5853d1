import { CascadeError } from '../contracts/cascade-error';
import { failureTypes } from '../contracts/failure-types';

/** A policy from workflow input that the worker's own configuration does not allow; the message lists why. */
export class PolicyRejectedError extends CascadeError {
  declare readonly type: typeof failureTypes.policyRejected;
  override readonly name = 'PolicyRejectedError';
  readonly problems: string[];

  constructor(options: { route: string; problems: string[] }) {
    super({
      type: failureTypes.policyRejected,
      message: `the policy in the workflow input for route "${options.route}" is not allowed by this worker's configuration: ${options.problems.join('; ')}`,
      details: { problems: options.problems },
    });
    this.problems = options.problems;
  }
}
