import type { ValidateFunction } from 'ajv/dist/2020';
import type { z } from 'zod';
import type { GateSpec } from '../contracts/cascade/gate-spec';
import { escalationReasons } from '../contracts/cascade/gate-verdict';
import { compiledJsonSchema, describeJsonSchemaError } from './compiled-json-schemas';
import type { GateContext, GateEvaluation } from './gate-evaluation';
import { extractJson, type JsonSource } from './json-extraction';
import { failedVerdict, passedVerdict } from './leaf-verdict';
import { unknownSchemaNameError } from './schema-registry';

export type JsonSchemaGateSpec = Extract<GateSpec, { kind: 'json-schema' }>;

/** How many schema errors `detail` quotes. */
const quotedErrorCount = 3;

const sourceNames: Record<JsonSource, string> = {
  bare: 'the answer',
  fenced: 'a fenced block',
  span: 'a JSON span of the answer',
};

type SchemaChoice =
  | { kind: 'json-schema'; validate: ValidateFunction; origin: string }
  | { kind: 'zod'; schema: z.ZodType; origin: string }
  | { kind: 'none' };

/**
 * Accepts an answer that holds JSON (see `extractJson`) matching a schema: the spec's `schema`, else the
 * zod schema registered as `schemaName`, else the request's `outputSchema`; with none of them, only
 * that the JSON parses. Reasons: `json_invalid` (no JSON parses), `schema_invalid` (it does not match).
 * Throws `GateConfigurationError` for an invalid JSON Schema or an unregistered `schemaName`.
 */
export function evaluateJsonSchemaGate(
  spec: JsonSchemaGateSpec,
  answer: { text: string },
  context: GateContext,
): GateEvaluation {
  const gate = spec.kind;
  // Chosen before parsing, so a configuration error surfaces whatever the answer is.
  const choice = chooseSchema(spec, context);

  const extraction = extractJson(answer.text);
  if (!extraction.found) {
    return {
      verdict: failedVerdict({
        gate,
        reason: escalationReasons.jsonInvalid,
        detail: `no valid JSON: ${extraction.problem}`,
      }),
    };
  }
  const where = sourceNames[extraction.source];

  const problems = schemaProblems(choice, extraction.value);
  if (problems.length > 0) {
    const quoted = problems.slice(0, quotedErrorCount).join('; ');
    const more = problems.length > quotedErrorCount ? ` (and ${problems.length - quotedErrorCount} more)` : '';
    return {
      verdict: failedVerdict({
        gate,
        reason: escalationReasons.schemaInvalid,
        detail: `JSON from ${where} does not match ${originOf(choice)}: ${quoted}${more}`,
      }),
    };
  }
  const matched = choice.kind === 'none' ? 'parses (no schema to check)' : `matches ${originOf(choice)}`;
  return { verdict: passedVerdict(gate, `JSON from ${where} ${matched}`), json: extraction.value };
}

function chooseSchema(spec: JsonSchemaGateSpec, context: GateContext): SchemaChoice {
  if (spec.schema) {
    return { kind: 'json-schema', validate: compiledJsonSchema(spec.schema), origin: "the gate's schema" };
  }
  if (spec.schemaName !== undefined) {
    const schema = context.schemas?.get(spec.schemaName);
    if (!schema) throw unknownSchemaNameError(context.schemas, spec.schemaName);
    return { kind: 'zod', schema, origin: `the registered schema "${spec.schemaName}"` };
  }
  if (context.outputSchema) {
    return {
      kind: 'json-schema',
      validate: compiledJsonSchema(context.outputSchema),
      origin: "the request's outputSchema",
    };
  }
  return { kind: 'none' };
}

function originOf(choice: SchemaChoice): string {
  return choice.kind === 'none' ? 'no schema' : choice.origin;
}

/** One `path message` line per mismatch; empty when the value matches (or there is no schema). */
function schemaProblems(choice: SchemaChoice, value: unknown): string[] {
  switch (choice.kind) {
    case 'none':
      return [];
    case 'json-schema': {
      if (choice.validate(value)) return [];
      return (choice.validate.errors ?? []).map(describeJsonSchemaError);
    }
    case 'zod': {
      const result = choice.schema.safeParse(value);
      if (result.success) return [];
      return result.error.issues.map((issue) => `/${issue.path.map(String).join('/')} ${issue.message}`);
    }
  }
}
