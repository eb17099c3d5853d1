import { z } from 'zod';
import { compiledJsonSchema } from './compiled-json-schemas';
import { GateConfigurationError } from './gate-configuration-error';
import { registeredJsonSchema, SchemaRegistry } from './schema-registry';

const invoice = z.object({ total: z.number().nonnegative(), currency: z.string().length(3) });

describe('SchemaRegistry', () => {
  it('holds schemas by name, from the constructor and from register', () => {
    const registry = new SchemaRegistry({ invoice });
    const person = z.object({ name: z.string() });
    registry.register('person', person);
    expect(registry.get('invoice')).toBe(invoice);
    expect(registry.get('person')).toBe(person);
    expect(registry.get('receipt')).toBeUndefined();
    expect(registry.names()).toEqual(['invoice', 'person']);
  });

  it('refuses a name registered twice, or an empty one', () => {
    const registry = new SchemaRegistry({ invoice });
    expect(() => registry.register('invoice', z.string())).toThrow(
      new GateConfigurationError({ message: 'A schema named "invoice" is already registered' }),
    );
    expect(() => registry.register('', z.string())).toThrow(GateConfigurationError);
  });
});

describe('registeredJsonSchema', () => {
  it('publishes a registered schema as draft 2020-12 JSON Schema that ajv accepts and that agrees with zod', () => {
    const schema = registeredJsonSchema(new SchemaRegistry({ invoice }), 'invoice');
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      required: ['total', 'currency'],
    });
    const validate = compiledJsonSchema(schema);
    expect(validate({ total: 3, currency: 'EUR' })).toBe(true);
    expect(validate({ total: -3, currency: 'EUR' })).toBe(false);
    expect(validate({ total: 3, currency: 'EURO' })).toBe(false);
  });

  it('throws a GateConfigurationError for an unknown name, or a schema JSON Schema cannot express', () => {
    const registry = new SchemaRegistry({ invoice, stamped: z.object({ at: z.date() }) });
    expect(() => registeredJsonSchema(registry, 'receipt')).toThrow(
      new GateConfigurationError({
        message: 'json-schema gate names schema "receipt", which is not registered (registered: "invoice", "stamped")',
      }),
    );
    expect(() => registeredJsonSchema(registry, 'stamped')).toThrow(
      /^The registered schema "stamped" cannot be expressed as JSON Schema: /,
    );
  });
});
