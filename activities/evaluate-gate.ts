import { ApplicationFailure } from '@temporalio/common';
import { failureTypes } from '../common/failure-types';
import type { GateInput } from '../common/gate-signals';
import type { GateSpec } from '../common/gate-spec';
import { evaluateGate as runGate, type GateEvaluation } from '../gates/evaluate-gate';
import { GateConfigurationError } from '../gates/gate-configuration-error';
import type { SchemaRegistry } from '../gates/schema-registry';

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
      return runGate(gate, answer, { outputSchema, schemas: dependencies.schemas });
    } catch (error) {
      if (error instanceof GateConfigurationError) {
        throw ApplicationFailure.create({
          type: failureTypes.invalidConfiguration,
          message: error.message,
          nonRetryable: true,
        });
      }
      throw error;
    }
  };
}
