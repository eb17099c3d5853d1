import type { RegExpEngine } from 'ajv/dist/types';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { GateConfigurationError } from './gate-configuration-error';
import { compileLinearRegularExpression } from './linear-regular-expression';

/** How many compiled schemas are kept; the least recently used is dropped beyond it. */
const maximumCachedSchemas = 100;

const compiledByText = new Map<string, ValidateFunction>();

/**
 * The ajv validator of a JSON Schema (draft 2020-12), compiled once and cached by the schema's JSON text.
 * Each schema gets its own ajv instance, so dropping it from the cache frees it, and two schemas with the
 * same `$id` never collide. Throws `GateConfigurationError` when the schema is not a valid JSON Schema.
 */
export function compiledJsonSchema(schema: Record<string, unknown>): ValidateFunction {
  const text = JSON.stringify(schema);
  const cached = compiledByText.get(text);
  if (cached) {
    // Re-inserting moves it to the end of the Map's order, which makes the eviction least-recently-used.
    compiledByText.delete(text);
    compiledByText.set(text, cached);
    return cached;
  }
  const validate = compile(schema);
  compiledByText.set(text, validate);
  if (compiledByText.size > maximumCachedSchemas) {
    const oldest = compiledByText.keys().next().value;
    if (oldest !== undefined) compiledByText.delete(oldest);
  }
  return validate;
}

/** One line per ajv error, as `instancePath message`, the root written `/`. */
export function describeJsonSchemaError(error: ErrorObject): string {
  const additional = error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : '';
  return `${error.instancePath || '/'} ${error.message ?? error.keyword}${additional}`;
}

/**
 * The schema's `pattern` and `patternProperties` run on the linear-time engine: a schema comes from
 * config or from the request, and a backtracking pattern in it must not be able to hang the worker.
 */
const linearRegularExpressions: RegExpEngine = Object.assign(
  (pattern: string) => compileLinearRegularExpression({ pattern, owner: 'json-schema gate' }),
  { code: 'compileLinearRegularExpression' },
);

function compile(schema: Record<string, unknown>): ValidateFunction {
  try {
    // `format` (email, date-time, uri, uuid, ...) is checked, not ignored.
    return addFormats(
      new Ajv2020({ allErrors: true, strict: false, code: { regExp: linearRegularExpressions } }),
    ).compile(schema);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new GateConfigurationError({
      message: `json-schema gate: the schema is not a valid JSON Schema (draft 2020-12): ${message}`,
    });
  }
}
