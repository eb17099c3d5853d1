import { compiledJsonSchema, describeJsonSchemaError } from './compiled-json-schemas';
import { GateConfigurationError } from './gate-configuration-error';

describe('compiledJsonSchema', () => {
  it('compiles a schema once and reuses it for the same JSON text', () => {
    const first = compiledJsonSchema({ type: 'object', required: ['a'] });
    const second = compiledJsonSchema({ type: 'object', required: ['a'] });
    expect(second).toBe(first);
    expect(compiledJsonSchema({ type: 'object', required: ['b'] })).not.toBe(first);
  });

  it('keeps a bounded number of schemas, recompiling one that was dropped', () => {
    const first = compiledJsonSchema({ const: 'first' });
    for (let index = 0; index < 150; index += 1) compiledJsonSchema({ const: index });
    const again = compiledJsonSchema({ const: 'first' });
    expect(again).not.toBe(first);
    expect(again('first')).toBe(true);
  });

  it('accepts draft 2020-12 keywords', () => {
    const validate = compiledJsonSchema({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'number' }],
    });
    expect(validate([1])).toBe(true);
    expect(validate(['x'])).toBe(false);
  });

  it('throws a GateConfigurationError naming the problem for an invalid JSON Schema', () => {
    const compile = () => compiledJsonSchema({ type: 'nonsense' });
    expect(compile).toThrow(GateConfigurationError);
    expect(compile).toThrow(
      /^json-schema gate: the schema is not a valid JSON Schema \(draft 2020-12\): schema is invalid: data\/type must be equal to one of the allowed values/,
    );
  });

  it('runs pattern and patternProperties on the linear-time engine, so a backtracking pattern answers at once', () => {
    // On JavaScript's own engine these would not finish: each nested quantifier tries every split.
    const validate = compiledJsonSchema({
      type: 'object',
      properties: { code: { type: 'string', pattern: '^(a+)+$' } },
      patternProperties: { '^(x+x+)+y$': { type: 'number' } },
    });
    expect(validate({ code: `${'a'.repeat(50_000)}!` })).toBe(false);
    expect(validate({ code: 'aaa', [`${'x'.repeat(30_000)}`]: 'not checked: the key does not match' })).toBe(true);
    expect(validate({ code: 'aaa', xxy: 'a string where a number must be' })).toBe(false);
  });

  it('refuses a schema whose pattern needs backtracking, naming the pattern', () => {
    const compile = () => compiledJsonSchema({ type: 'string', pattern: '(a)\\1' });
    expect(compile).toThrow(GateConfigurationError);
    expect(compile).toThrow(/json-schema gate: \/\(a\)\\1\/u? cannot run on the linear-time engine/);
  });

  it('reports two schemas with the same $id separately', () => {
    const one = compiledJsonSchema({ $id: 'https://example.com/answer', type: 'string' });
    const two = compiledJsonSchema({ $id: 'https://example.com/answer', type: 'number' });
    expect(one('x')).toBe(true);
    expect(two(1)).toBe(true);
  });
});

describe('describeJsonSchemaError', () => {
  it('writes instancePath and message, the root as / and the extra property named', () => {
    const validate = compiledJsonSchema({
      type: 'object',
      properties: { age: { type: 'integer' } },
      required: ['name'],
      additionalProperties: false,
    });
    validate({ age: 'old', extra: 1 });
    expect((validate.errors ?? []).map(describeJsonSchemaError)).toEqual([
      "/ must have required property 'name'",
      '/ must NOT have additional properties (extra)',
      '/age must be integer',
    ]);
  });
});

describe('format keywords', () => {
  it('checks formats such as email and date-time', () => {
    const validate = compiledJsonSchema({
      type: 'object',
      properties: { email: { type: 'string', format: 'email' }, at: { type: 'string', format: 'date-time' } },
    });
    expect(validate({ email: 'ops@example.com', at: '2026-11-22T07:30:00Z' })).toBe(true);
    expect(validate({ email: 'not an address', at: '2026-11-22T07:30:00Z' })).toBe(false);
    expect(validate({ email: 'ops@example.com', at: 'yesterday' })).toBe(false);
  });
});

describe('draft-07 schemas', () => {
  it('reads a schema that names draft-07 in its draft, tuples included, and 2020-12 otherwise', () => {
    const tuple = { type: 'array', items: [{ type: 'string' }, { type: 'number' }], additionalItems: false };
    const draft07 = compiledJsonSchema({ $schema: 'http://json-schema.org/draft-07/schema#', ...tuple });
    expect(draft07(['a', 1])).toBe(true);
    expect(draft07([1, 'a'])).toBe(false);
    expect(draft07(['a', 1, 2])).toBe(false);
    // Draft 2020-12 has no array form of `items`: the same schema is not valid there.
    expect(() => compiledJsonSchema(tuple)).toThrow(GateConfigurationError);
  });

  it('keeps the linear-time pattern engine in draft-07', () => {
    expect(() =>
      compiledJsonSchema({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'string', pattern: '(?=a)b' }),
    ).toThrow(GateConfigurationError);
  });
});
