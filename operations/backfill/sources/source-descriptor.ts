import { z } from 'zod';
import { backfillSourceErrorTypes, type BackfillSourceErrorType } from './backfill-source-error';
import { queueTableNamePattern, queueTableNameRule } from './queue-table-name';

// Without Node's `path`, so a workflow can import this file: POSIX `/…`, Windows `C:\…` or `\\server\…`.
const absolutePathPattern = /^(\/|[A-Za-z]:[\\/]|\\\\)/;

const postgresProtocols = ['postgres:', 'postgresql:'];

/** Query parameters of a PostgreSQL URL that carry a secret the driver would use. */
const secretQueryParameters = ['password', 'sslpassword'];

/** Why a PostgreSQL URL cannot travel in workflow input; `undefined` when it can. */
export interface PostgresUrlProblem {
  type: BackfillSourceErrorType;
  message: string;
}

/**
 * Checks a PostgreSQL URL for use in a source descriptor: a `postgres://` or `postgresql://` URL with no
 * password, neither in its user part nor as a query parameter. Messages never repeat the URL, which may
 * hold the very secret refused.
 */
export function findPostgresUrlProblem(url: string): PostgresUrlProblem | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return {
      type: backfillSourceErrorTypes.invalid,
      message: 'is not a valid URL (expected postgres://user@host:port/database)',
    };
  }
  if (!postgresProtocols.includes(parsed.protocol)) {
    return {
      type: backfillSourceErrorTypes.invalid,
      message: `must start with postgres:// or postgresql://, not ${parsed.protocol}//`,
    };
  }
  if (parsed.password !== '' || secretQueryParameters.some((name) => parsed.searchParams.has(name))) {
    return {
      type: backfillSourceErrorTypes.passwordInUrl,
      message:
        'must not carry a password: the source travels in workflow input, which Temporal stores in the workflow history. ' +
        "Remove the password from the URL and set PGPASSWORD (or a ~/.pgpass entry) in the worker's environment",
    };
  }
  return undefined;
}

/** A JSONL file of cascade requests, one a line. */
export const jsonlSourceDescriptorSchema = z
  .object({
    kind: z.literal('jsonl'),
    /** Absolute path of the file, as the worker sees it. */
    path: z.string().regex(absolutePathPattern, 'must be an absolute path'),
  })
  .strict();
export type JsonlSourceDescriptor = z.infer<typeof jsonlSourceDescriptorSchema>;

/** A PostgreSQL queue table (layout in `queue-table.ts`). */
export const postgresSourceDescriptorSchema = z
  .object({
    kind: z.literal('postgres'),
    /**
     * Connection URL without a password (`postgres://user@host:5432/database`) and without a `table`
     * parameter; the worker supplies the password from PGPASSWORD or ~/.pgpass.
     */
    url: z.string().superRefine((url, context) => {
      const problem = findPostgresUrlProblem(url);
      if (problem) context.addIssue({ code: 'custom', message: problem.message, params: { type: problem.type } });
      else if (new URL(url).searchParams.has('table')) {
        context.addIssue({ code: 'custom', message: 'must not carry a table parameter: the table goes in `table`' });
      }
    }),
    /** The queue table, optionally schema-qualified. */
    table: z.string().regex(queueTableNamePattern, queueTableNameRule),
  })
  .strict();
export type PostgresSourceDescriptor = z.infer<typeof postgresSourceDescriptorSchema>;

/**
 * Where a back-fill job reads its requests: serializable and free of secrets, because it travels in
 * workflow input and so is stored in the workflow history. Built from a CLI `--source` argument by
 * `parseSourceArgument`, opened in an activity by `openRequestSource`. Safe to import in workflow code.
 */
export const sourceDescriptorSchema = z.discriminatedUnion('kind', [
  jsonlSourceDescriptorSchema,
  postgresSourceDescriptorSchema,
]);
export type SourceDescriptor = z.infer<typeof sourceDescriptorSchema>;
