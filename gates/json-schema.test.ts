import { z } from 'zod';
import { evaluateGate } from './evaluate-gate';
import { GateConfigurationError } from './gate-configuration-error';
import { SchemaRegistry } from './schema-registry';

const personSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
  required: ['name', 'age'],
  additionalProperties: false,
};

const requestSchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

const schemas = new SchemaRegistry({
  invoice: z.object({ total: z.number().nonnegative(), currency: z.string().length(3) }),
});

describe('json-schema gate', () => {
  it('passes JSON that matches the spec schema, returning the parsed value', () => {
    const evaluation = evaluateGate(
      { kind: 'json-schema', schema: personSchema },
      { text: '{"name": "Ada", "age": 36}' },
    );
    expect(evaluation).toEqual({
      verdict: {
        gate: 'json-schema',
        passed: true,
        score: 1,
        reasons: [],
        detail: "JSON from the answer matches the gate's schema",
      },
      json: { name: 'Ada', age: 36 },
    });
  });

  it('reads the value from a ```json fenced block', () => {
    const text = 'Sure! Here it is:\n\n```json\n{\n  "name": "Ada",\n  "age": 36\n}\n```\n';
    const evaluation = evaluateGate({ kind: 'json-schema', schema: personSchema }, { text });
    expect(evaluation.verdict.passed).toBe(true);
    expect(evaluation.verdict.detail).toBe("JSON from a fenced block matches the gate's schema");
    expect(evaluation.json).toEqual({ name: 'Ada', age: 36 });
  });

  it('reads the value from the first {...} span of prose', () => {
    const evaluation = evaluateGate(
      { kind: 'json-schema', schema: personSchema },
      { text: 'The person is {"name": "Ada", "age": 36}.' },
    );
    expect(evaluation.verdict.passed).toBe(true);
    expect(evaluation.json).toEqual({ name: 'Ada', age: 36 });
  });

  it('fails with json_invalid when no JSON parses, and returns no value', () => {
    const evaluation = evaluateGate(
      { kind: 'json-schema', schema: personSchema },
      { text: 'The person is Ada, aged 36.' },
    );
    expect(evaluation).toEqual({
      verdict: {
        gate: 'json-schema',
        passed: false,
        score: 0,
        reasons: ['json_invalid'],
        detail: 'no valid JSON: the answer holds no JSON object or array',
      },
    });
    expect('json' in evaluation).toBe(false);
  });

  it('fails with json_invalid on truncated JSON', () => {
    const { verdict } = evaluateGate({ kind: 'json-schema' }, { text: '{"name": "Ada", "age": ' });
    expect(verdict.reasons).toEqual(['json_invalid']);
    expect(verdict.detail).toBe('no valid JSON: the { at character 0 is never closed');
  });

  it('fails with schema_invalid, quoting the first three errors as `instancePath message`', () => {
    const evaluation = evaluateGate(
      { kind: 'json-schema', schema: personSchema },
      { text: '{"name": 7, "age": -1, "nickname": "A", "email": "a@b"}' },
    );
    expect(evaluation.verdict).toEqual({
      gate: 'json-schema',
      passed: false,
      score: 0,
      reasons: ['schema_invalid'],
      detail:
        "JSON from the answer does not match the gate's schema: / must NOT have additional properties (nickname); / must NOT have additional properties (email); /name must be string (and 1 more)",
    });
    expect(evaluation.json).toBeUndefined();
  });

  it("uses the request's outputSchema when the gate has no schema of its own", () => {
    const gate = { kind: 'json-schema' as const };
    const passing = evaluateGate(gate, { text: '{"city": "Oslo"}' }, { outputSchema: requestSchema });
    expect(passing.verdict.passed).toBe(true);
    expect(passing.verdict.detail).toBe("JSON from the answer matches the request's outputSchema");
    const failing = evaluateGate(gate, { text: '{"town": "Oslo"}' }, { outputSchema: requestSchema });
    expect(failing.verdict.reasons).toEqual(['schema_invalid']);
    expect(failing.verdict.detail).toBe(
      "JSON from the answer does not match the request's outputSchema: / must have required property 'city'",
    );
  });

  it("prefers the gate's schema to the request's outputSchema", () => {
    const evaluation = evaluateGate(
      { kind: 'json-schema', schema: personSchema },
      { text: '{"city": "Oslo"}' },
      { outputSchema: requestSchema },
    );
    expect(evaluation.verdict.passed).toBe(false);
    expect(evaluation.verdict.detail).toMatch(/^JSON from the answer does not match the gate's schema: /);
  });

  it('validates with a registered zod schema named by schemaName, before the outputSchema', () => {
    const gate = { kind: 'json-schema' as const, schemaName: 'invoice' };
    const passing = evaluateGate(
      gate,
      { text: '{"total": 12.5, "currency": "EUR"}' },
      { schemas, outputSchema: requestSchema },
    );
    expect(passing.verdict).toEqual({
      gate: 'json-schema',
      passed: true,
      score: 1,
      reasons: [],
      detail: 'JSON from the answer matches the registered schema "invoice"',
    });
    expect(passing.json).toEqual({ total: 12.5, currency: 'EUR' });

    const failing = evaluateGate(gate, { text: '{"total": -1, "currency": "EURO"}' }, { schemas });
    expect(failing.verdict.reasons).toEqual(['schema_invalid']);
    expect(failing.verdict.detail).toBe(
      'JSON from the answer does not match the registered schema "invoice": /total Too small: expected number to be >=0; /currency Too big: expected string to have exactly 3 characters',
    );
  });

  it('without any schema, only checks that the JSON parses', () => {
    const evaluation = evaluateGate({ kind: 'json-schema' }, { text: '```json\n[1, "two"]\n```' });
    expect(evaluation.verdict).toEqual({
      gate: 'json-schema',
      passed: true,
      score: 1,
      reasons: [],
      detail: 'JSON from a fenced block parses (no schema to check)',
    });
    expect(evaluation.json).toEqual([1, 'two']);
  });

  it('throws a GateConfigurationError for an unregistered schemaName, whatever the answer', () => {
    const evaluate = () =>
      evaluateGate({ kind: 'json-schema', schemaName: 'receipt' }, { text: 'not JSON' }, { schemas });
    expect(evaluate).toThrow(GateConfigurationError);
    expect(evaluate).toThrow(
      'json-schema gate names schema "receipt", which is not registered (registered: "invoice")',
    );
    expect(() => evaluateGate({ kind: 'json-schema', schemaName: 'receipt' }, { text: '{}' })).toThrow(
      'json-schema gate names schema "receipt", which is not registered (none is registered)',
    );
  });

  it('throws a GateConfigurationError for an invalid JSON Schema, in the gate or in the request', () => {
    const invalid = { type: 'object', properties: { name: { type: 'text' } } };
    for (const evaluate of [
      () => evaluateGate({ kind: 'json-schema', schema: invalid }, { text: '{"name": "Ada"}' }),
      () => evaluateGate({ kind: 'json-schema' }, { text: 'no JSON at all' }, { outputSchema: invalid }),
    ]) {
      expect(evaluate).toThrow(GateConfigurationError);
      expect(evaluate).toThrow(
        /^json-schema gate: the schema is not a valid JSON Schema \(draft 2020-12\): schema is invalid: /,
      );
    }
  });

  it('the configuration error has a stable type', () => {
    try {
      evaluateGate({ kind: 'json-schema', schemaName: 'missing' }, { text: '{}' });
      throw new Error('expected a GateConfigurationError');
    } catch (error) {
      expect(error).toBeInstanceOf(GateConfigurationError);
      expect((error as GateConfigurationError).type).toBe('InvalidGateConfiguration');
      expect((error as GateConfigurationError).name).toBe('GateConfigurationError');
    }
  });
});
