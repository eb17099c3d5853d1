import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { BackfillSourceError, backfillSourceErrorTypes } from './backfill-source-error';
import { refuseGzipName } from './gzip-refusal';
import { defaultQueueTable, queueTableNamePattern, queueTableNameRule } from './queue-table-name';
import { findPostgresUrlProblem, type SourceDescriptor } from './source-descriptor';

export interface ParseSourceArgumentOptions {
  /** The directory a relative file path is resolved against. @default process.cwd() */
  workingDirectory?: string;
}

const postgresUrlPattern = /^postgres(ql)?:\/\//i;
const anyUrlPattern = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Turns a CLI `--source` argument into a source descriptor:
 * - a JSONL file path, resolved to an absolute path; the file must exist;
 * - `postgres://user@host:port/database?table=name` (or `postgresql://`): the table defaults to
 *   `queued_requests` and may be schema-qualified; other query parameters (`sslmode`, ...) are kept.
 *
 * Throws a `BackfillSourceError`: `BackfillSourceNotFound` for a missing file,
 * `BackfillSourcePasswordInUrl` for a URL with a password (the descriptor is stored in the workflow
 * history; the worker reads the password from PGPASSWORD), `BackfillSourceInvalid` otherwise.
 */
export function parseSourceArgument(text: string, options: ParseSourceArgumentOptions = {}): SourceDescriptor {
  const argument = text.trim();
  if (argument === '') {
    throw new BackfillSourceError({
      type: backfillSourceErrorTypes.invalid,
      message: '--source is empty: give a JSONL file path or a postgres:// URL',
    });
  }
  if (postgresUrlPattern.test(argument)) return parsePostgresArgument(argument);
  if (anyUrlPattern.test(argument)) {
    throw new BackfillSourceError({
      type: backfillSourceErrorTypes.invalid,
      message: `--source ${argument.slice(0, argument.indexOf(':'))}:// is not supported: give a JSONL file path or a postgres:// URL`,
    });
  }
  return parseFileArgument(argument, options.workingDirectory ?? process.cwd());
}

function parsePostgresArgument(argument: string): SourceDescriptor {
  const problem = findPostgresUrlProblem(argument);
  if (problem) throw new BackfillSourceError({ type: problem.type, message: `--source URL ${problem.message}` });
  const url = new URL(argument);
  const tables = url.searchParams.getAll('table');
  if (tables.length > 1) {
    throw new BackfillSourceError({
      type: backfillSourceErrorTypes.invalid,
      message: '--source URL names more than one table',
    });
  }
  const table = tables[0] ?? defaultQueueTable;
  if (!queueTableNamePattern.test(table)) {
    throw new BackfillSourceError({
      type: backfillSourceErrorTypes.invalid,
      message: `--source table ${JSON.stringify(table)} ${queueTableNameRule}`,
    });
  }
  // The table is not a connection parameter: the driver would pass it on to the server.
  url.searchParams.delete('table');
  return { kind: 'postgres', url: url.toString(), table };
}

function parseFileArgument(argument: string, workingDirectory: string): SourceDescriptor {
  const path = resolve(workingDirectory, argument);
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) {
    throw new BackfillSourceError({
      type: backfillSourceErrorTypes.notFound,
      message: `--source file ${path} does not exist`,
    });
  }
  if (!stats.isFile()) {
    throw new BackfillSourceError({
      type: backfillSourceErrorTypes.notFound,
      message: `--source ${path} is not a file`,
    });
  }
  refuseGzipName(path);
  return { kind: 'jsonl', path };
}
