import { z } from 'zod';
import { GateConfigurationError } from './gate-configuration-error';

/**
 * Named zod schemas defined in code, which `json-schema` gates can name (`schemaName`) instead of
 * carrying a JSON Schema in the configuration. The worker builds one and passes it to its activities.
 */
export class SchemaRegistry {
  private readonly schemas = new Map<string, z.ZodType>();

  /** @param schemas Schemas to register at once, by name. @default {} */
  constructor(schemas: Record<string, z.ZodType> = {}) {
    for (const [name, schema] of Object.entries(schemas)) this.register(name, schema);
  }

  /** Adds a schema; a name can be registered once, so two modules cannot silently replace each other's schema. */
  register(name: string, schema: z.ZodType): this {
    if (name.length === 0) throw new GateConfigurationError({ message: 'A registered schema needs a non-empty name' });
    if (this.schemas.has(name))
      throw new GateConfigurationError({ message: `A schema named "${name}" is already registered` });
    this.schemas.set(name, schema);
    return this;
  }

  /** The schema registered under `name`, or `undefined`. */
  get(name: string): z.ZodType | undefined {
    return this.schemas.get(name);
  }

  /** The registered names, in registration order. */
  names(): string[] {
    return [...this.schemas.keys()];
  }
}

/**
 * The JSON Schema (draft 2020-12) of a registered zod schema, to publish it (for a client that sends it
 * as a request's `outputSchema`, or for documentation). Throws `GateConfigurationError` for an unknown
 * name, or for a schema JSON Schema cannot express (a transform, a `Date`).
 */
export function registeredJsonSchema(registry: SchemaRegistry, name: string): Record<string, unknown> {
  const schema = registry.get(name);
  if (!schema) throw unknownSchemaNameError(registry, name);
  try {
    return z.toJSONSchema(schema) as Record<string, unknown>;
  } catch (error) {
    throw new GateConfigurationError({
      message: `The registered schema "${name}" cannot be expressed as JSON Schema: ${messageOf(error)}`,
    });
  }
}

/** The error for a `schemaName` the registry does not hold; it lists the names it does hold. */
export function unknownSchemaNameError(registry: SchemaRegistry | undefined, name: string): GateConfigurationError {
  const known = registry?.names() ?? [];
  const holds = known.length > 0 ? `registered: ${known.map((each) => `"${each}"`).join(', ')}` : 'none is registered';
  return new GateConfigurationError({
    message: `json-schema gate names schema "${name}", which is not registered (${holds})`,
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
