import type { GateSpec } from '../contracts/cascade/gate-spec';
import { compiledJsonSchema } from './compiled-json-schemas';
import { compileLinearRegularExpression } from './linear-regular-expression';

/**
 * What would stop `gate` (and every gate under it) from compiling: each required-pattern gate's
 * pattern on the linear-time engine, each json-schema gate's inline schema (its patterns included).
 * One message per problem; none when every gate compiles. A worker checks its routes with this at
 * startup, so a pattern the engine refuses is a configuration error then, not a failed cascade later.
 */
export function gatePatternProblems(gate: GateSpec): string[] {
  switch (gate.kind) {
    case 'all':
    case 'any':
      return gate.gates.flatMap(gatePatternProblems);
    case 'weighted':
      return gate.gates.flatMap((weighted) => gatePatternProblems(weighted.gate));
    case 'required-pattern':
      return problemOf(() =>
        compileLinearRegularExpression({
          pattern: gate.pattern,
          ...(gate.flags === undefined ? {} : { flags: gate.flags }),
          owner: 'required-pattern gate',
        }),
      );
    case 'json-schema':
      return gate.schema === undefined ? [] : problemOf(() => compiledJsonSchema(gate.schema!));
    default:
      return [];
  }
}

function problemOf(compile: () => unknown): string[] {
  try {
    compile();
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}
