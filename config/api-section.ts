import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConfigurationError } from './configuration-error';
import { durationSchema } from './duration-schema';

/**
 * The `api` section of the routes file: what `cascade serve` (the OpenAI-compatible HTTP API) takes.
 * Workers ignore it. Caller keys are never written in it: a caller names the SHA-256 of its key, or the
 * environment variable `cascade serve` reads the key from.
 */

const callerFileSchema = z
  .object({
    /** The hex SHA-256 of the caller's key (`printf %s "$KEY" | sha256sum`). */
    keySha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal digits (a SHA-256)')
      .optional(),
    /** The environment variable of `cascade serve` that holds the caller's key. */
    keyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
      .optional(),
    /** The `customer` tag of every request of this caller, whatever its `metadata` says. @default none */
    customer: z.string().min(1).max(256).optional(),
    /** The routes this caller may use. @default every route */
    routes: z.array(z.string().min(1)).min(1).optional(),
    /** Requests per minute, as a bucket that refills evenly; over it, 429 with `Retry-After`. @default no limit */
    requestsPerMinute: z.number().positive().optional(),
  })
  .strict()
  .refine((caller) => (caller.keySha256 === undefined) !== (caller.keyEnv === undefined), {
    message: 'needs exactly one of keySha256 and keyEnv',
  });

export const apiFileSchema = z
  .object({
    /**
     * How long a request waits for its cascade before it is answered 504; the cascade goes on, and the
     * same idempotency key fetches its answer later. @default 2m
     */
    requestTimeout: durationSchema.optional(),
    /** The largest request body accepted, in bytes; a larger one is answered 413. @default 2 MiB */
    maximumBodyBytes: z.number().int().positive().optional(),
    /** Who may call the API, by name (the name appears in logs and scopes idempotency keys). */
    callers: z
      .record(
        z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'caller names are 1 to 64 letters, digits, _ . or -'),
        callerFileSchema,
      )
      .optional(),
  })
  .strict();
export type ApiFileSection = z.infer<typeof apiFileSchema>;

/** One caller of the API, its key resolved to a hash. */
export interface ApiCaller {
  name: string;
  /** SHA-256 of the key, 32 bytes. */
  keyHash: Buffer;
  customer: string | undefined;
  /** Undefined: every route. */
  routes: readonly string[] | undefined;
  requestsPerMinute: number | undefined;
}

export interface ApiSettings {
  requestTimeoutMs: number;
  maximumBodyBytes: number;
  callers: ApiCaller[];
}

export const defaultApiRequestTimeoutMs = 2 * 60_000;
export const defaultApiMaximumBodyBytes = 2 * 1024 * 1024;

/**
 * The section's settings, each `keyEnv` read from `environment`. Throws a `ConfigurationError` naming a
 * variable that is unset or empty, a route a caller names that the file lacks, and two callers of one key.
 */
export function resolveApiSettings(
  section: ApiFileSection | undefined,
  options: { environment: Record<string, string | undefined>; routeNames: readonly string[]; source: string },
): ApiSettings {
  const callers: ApiCaller[] = [];
  const problems: string[] = [];
  for (const [name, caller] of Object.entries(section?.callers ?? {})) {
    let keyHash: Buffer | undefined;
    if (caller.keySha256) keyHash = Buffer.from(caller.keySha256, 'hex');
    else if (caller.keyEnv) {
      const key = options.environment[caller.keyEnv];
      if (!key) problems.push(`api.callers.${name}.keyEnv: the variable ${caller.keyEnv} is not set`);
      else keyHash = apiKeyHash(key);
    }
    for (const route of caller.routes ?? []) {
      if (!options.routeNames.includes(route))
        problems.push(`api.callers.${name}.routes: no route "${route}" (routes: ${options.routeNames.join(', ')})`);
    }
    const twin = keyHash && callers.find((other) => other.keyHash.equals(keyHash));
    if (twin) problems.push(`api.callers.${name}: has the same key as caller ${twin.name}`);
    if (keyHash)
      callers.push({
        name,
        keyHash,
        customer: caller.customer,
        routes: caller.routes,
        requestsPerMinute: caller.requestsPerMinute,
      });
  }
  if (problems.length > 0) throw new ConfigurationError({ message: `${options.source}: ${problems.join('; ')}` });
  return {
    requestTimeoutMs: section?.requestTimeout ?? defaultApiRequestTimeoutMs,
    maximumBodyBytes: section?.maximumBodyBytes ?? defaultApiMaximumBodyBytes,
    callers,
  };
}

/** The SHA-256 of a caller key, as `keySha256` holds it (in hex). */
export function apiKeyHash(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
