import type { GateInput } from '../contracts/cascade/gate-signals';
import type { GateSpec } from '../contracts/cascade/gate-spec';
import { toApplicationFailure } from '../contracts/to-application-failure';
import { ConfigurationError } from '../config/configuration-error';
import { evaluateGate as runGate, type GateEvaluation } from '../gates/evaluate-gate';
import { GateConfigurationError } from '../gates/gate-configuration-error';
import type { SchemaRegistry } from '../gates/schema-registry';
import { annotateActiveSpan, cascadeSpanAttributes } from '../operations/tracing/span-attributes';

export interface EvaluateGateInput extends GateInput {
  gate: GateSpec;
  outputSchema?: Record<string, unknown>;
}

/**
 * Builds the `evaluateGate` local activity. Gates are pure code; running them as a local activity
 * costs no round trip to the server and records each verdict in the history, so a later change to a
 * gate never changes what an old history replays.
 */
export function createEvaluateGate(dependencies: { schemas: SchemaRegistry }) {
  return async function evaluateGate(input: EvaluateGateInput): Promise<GateEvaluation> {
    try {
      const { gate, outputSchema, ...answer } = input;
      const evaluation = runGate(gate, answer, { outputSchema, schemas: dependencies.schemas });
      const { verdict } = evaluation;
      annotateActiveSpan({
        [cascadeSpanAttributes.gateKind]: verdict.gate,
        [cascadeSpanAttributes.gatePassed]: verdict.passed,
        [cascadeSpanAttributes.gateScore]: verdict.score,
        ...(verdict.threshold === undefined ? {} : { [cascadeSpanAttributes.gateThreshold]: verdict.threshold }),
        ...(verdict.passed
          ? {}
          : {
              [cascadeSpanAttributes.gateReasons]: verdict.reasons,
              [cascadeSpanAttributes.escalationReason]: verdict.reasons[0] ?? 'gate_rejected',
            }),
      });
      return evaluation;
    } catch (error) {
      // A gate set up wrong is a configuration failure of the route, under the configuration's type.
      if (GateConfigurationError.isInstance(error))
        throw toApplicationFailure(new ConfigurationError({ message: error.message, cause: error.cause }));
      throw error;
    }
  };
}
