import { BackfillSourceError, backfillSourceErrorTypes } from './backfill-source-error';

/** The table a PostgreSQL source reads when its URL names none. */
export const defaultQueueTable = 'queued_requests';

/**
 * A queue table name: a lower-case SQL identifier (letters, digits, `_`, at most 63 characters,
 * not starting with a digit), optionally qualified by a schema the same way (`backfill.queued_requests`).
 * Lower case only, because the name is quoted in SQL and PostgreSQL folds unquoted names to lower case:
 * a table created as `CREATE TABLE Queue` is named `queue`.
 */
export const queueTableNamePattern = /^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/;

export const queueTableNameRule =
  'must be a lower-case SQL identifier (letters, digits and _, at most 63, not starting with a digit), optionally schema-qualified as schema.table';

/** The table name as SQL, each part quoted: `"backfill"."queued_requests"`. Throws a `BackfillSourceInvalid` error for a name that does not match {@link queueTableNamePattern}. */
export function quoteQueueTableName(table: string): string {
  if (!queueTableNamePattern.test(table)) {
    throw new BackfillSourceError({
      type: backfillSourceErrorTypes.invalid,
      message: `table name ${JSON.stringify(table)} ${queueTableNameRule}`,
    });
  }
  return table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}

/** The unqualified table name, for naming the table's index (an index lives in its table's schema). */
export function unqualifiedQueueTableName(table: string): string {
  return table.slice(table.lastIndexOf('.') + 1);
}
