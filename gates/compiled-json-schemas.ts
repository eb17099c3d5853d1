import type { RegExpEngine } from 'ajv/dist/types';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import AjvDraft07 from 'ajv';
import addFormats from 'ajv-formats';
import { GateConfigurationError } from './gate-configuration-error';
import { compileLinearRegularExpression } from './linear-regular-expression';

/** How many compiled schemas are kept; the least recently used is dropped beyond it. */
const maximumCachedSchemas = 100;

const compiledByText = new Map<string, ValidateFunction>();

/**
 * The ajv validator of a JSON Schema (draft 2020-12, or draft-07 when its `$schema` says so), compiled once and cached by the schema's JSON text.
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

/** `$schema` values of draft-07, which the AI SDK and many tools write (a tuple's `items` differs from 2020-12). */
const draft07Pattern = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

function compile(schema: Record<string, unknown>): ValidateFunction {
  const draft07 = typeof schema.$schema === 'string' && draft07Pattern.test(schema.$schema);
  const options = { allErrors: true, strict: false, code: { regExp: linearRegularExpressions } };
  try {
    // `format` (email, date-time, uri, uuid, ...) is checked, not ignored.
    return addFormats(draft07 ? new AjvDraft07(options) : new Ajv2020(options)).compile(schema);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new GateConfigurationError({
      message: `json-schema gate: the schema is not a valid JSON Schema (${draft07 ? 'draft-07' : 'draft 2020-12'}): ${message}`,
    });
  }
}
