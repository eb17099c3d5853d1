import { PostgresCostLedger } from './postgres-ledger';

/** The variables a worker reads its cost ledger from. */
export const ledgerEnvironment = {
  /** `postgres://user@host:5432/database`, without a password (the password comes from `PGPASSWORD`). */
  url: 'CASCADE_LEDGER_URL',
  /** The table. @default 'cascade_ledger' */
  table: 'CASCADE_LEDGER_TABLE',
} as const;

/**
 * The worker's cost ledger from its environment: a `PostgresCostLedger` when `CASCADE_LEDGER_URL` is
 * set, else none. Nothing is connected yet: await `ensureSchema()` before starting the worker, so a
 * database that cannot be reached fails at start rather than at the first finished cascade. Throws a
 * `ConfigurationError` (`InvalidConfiguration`) for a URL that is malformed or carries a password.
 */
export function ledgerFromEnvironment(
  environment: Record<string, string | undefined> = process.env,
): PostgresCostLedger | undefined {
  const url = environment[ledgerEnvironment.url];
  if (url === undefined || url.trim() === '') return undefined;
  const table = environment[ledgerEnvironment.table];
  return new PostgresCostLedger({
    connectionString: url.trim(),
    source: ledgerEnvironment.url,
    ...(table !== undefined && table !== '' ? { table } : {}),
  });
}
