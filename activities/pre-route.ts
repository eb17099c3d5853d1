import type { ChatMessage } from '../contracts/cascade/chat-message';
import type { PreRoutingDecision } from '../contracts/cascade/pre-routing';
import type { RoutePolicy } from '../contracts/cascade/route-policy';
import { toApplicationFailure } from '../contracts/to-application-failure';
import { ConfigurationError } from '../config/configuration-error';
import { GateConfigurationError } from '../gates/gate-configuration-error';
import { decidePreRouting } from '../operations/traffic/pre-routing';

export interface PreRouteInput {
  policy: RoutePolicy;
  messages: ChatMessage[];
  tags: Record<string, string>;
  outputSchema?: Record<string, unknown>;
}

/**
 * Builds the `preRoute` local activity: whether the request goes straight to the flagship under its
 * route's pre-routing (`decidePreRouting`). A local activity, so its decision is in the history and the
 * tokenizer stays out of the workflow.
 */
export function createPreRoute() {
  return async function preRoute(input: PreRouteInput): Promise<PreRoutingDecision> {
    try {
      return decidePreRouting(input.policy, input);
    } catch (error) {
      if (GateConfigurationError.isInstance(error))
        throw toApplicationFailure(new ConfigurationError({ message: error.message, cause: error.cause }));
      throw error;
    }
  };
}
