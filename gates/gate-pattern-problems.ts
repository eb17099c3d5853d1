import { gateLeaves } from '../contracts/cascade/gate-leaves';
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
  return gateLeaves(gate).flatMap(({ gate: leaf }) => {
    if (leaf.kind === 'required-pattern')
      return problemOf(() =>
        compileLinearRegularExpression({
          pattern: leaf.pattern,
          ...(leaf.flags === undefined ? {} : { flags: leaf.flags }),
          owner: 'required-pattern gate',
        }),
      );
    if (leaf.kind === 'json-schema' && leaf.schema !== undefined) {
      const schema = leaf.schema;
      return problemOf(() => compiledJsonSchema(schema));
    }
    return [];
  });
}

function problemOf(compile: () => unknown): string[] {
  try {
    compile();
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}
