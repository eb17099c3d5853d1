import type { GateInput } from '../contracts/cascade/gate-signals';
import type { GateVerdict } from '../contracts/cascade/gate-verdict';
import type { SchemaRegistry } from './schema-registry';

export type { GateInput } from '../contracts/cascade/gate-signals';

/**
 * The answer a gate judges, with the signals gathered for it (log-probabilities, extra samples,
 * judgements). The older name of `GateInput`.
 */
export type GateAnswer = GateInput;

/** What a gate may consult besides the answer. */
export interface GateContext {
  /** The request's JSON Schema, used by a `json-schema` gate that names no schema of its own. */
  outputSchema?: Record<string, unknown>;
  /** Zod schemas defined in code, for `json-schema` gates that give a `schemaName`. */
  schemas?: SchemaRegistry;
}

/** A gate's verdict, plus what the gate learnt on the way. Plain JSON: it is recorded in the workflow history. */
export interface GateEvaluation {
  verdict: GateVerdict;
  /**
   * The parsed answer, present when a `json-schema` gate accepted it (parsed, and matched its schema
   * if it had one), so the cascade can return it. In a composite, the first such gate's value.
   */
  json?: unknown;
}
