import { Pool } from 'pg';
import { ConfigurationError } from '../../config/configuration-error';

/**
 * Checks a ledger's PostgreSQL URL (`postgres://user@host:5432/database`). Connection URLs end up in
 * logs, process lists and shell history, so one that carries a password is refused: the password
 * comes from `PGPASSWORD` (or `~/.pgpass`), as with `psql`. `source` names where the URL came from
 * (`CASCADE_LEDGER_URL`, `--ledger`) in the error; the URL itself is never repeated in a message.
 */
export function checkLedgerConnectionString(connectionString: string, options: { source: string }): string {
  const url = parseUrl(connectionString);
  if (!url)
    throw new ConfigurationError({
      message: `${options.source} is not a URL: expected postgres://user@host:5432/database`,
    });
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigurationError({
      message: `${options.source} must be a postgres:// or postgresql:// URL, got a ${url.protocol}// URL`,
    });
  }
  if (url.password !== '' || url.searchParams.has('password')) {
    throw new ConfigurationError({
      message: `${options.source} contains a password; URLs get logged, so remove it from the URL and set PGPASSWORD (or use ~/.pgpass) instead`,
    });
  }
  return connectionString;
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    // `postgres://user@/database` (a local socket) has no host, which the URL parser refuses.
    try {
      return new URL(text.replace('@/', '@socket/'));
    } catch {
      return undefined;
    }
  }
}

export interface LedgerPoolOptions {
  /**
   * `postgres://user@host:5432/database`, without a password (refused: URLs get logged); the
   * password comes from `PGPASSWORD` or `~/.pgpass`.
   */
  connectionString: string;
  /** Where the connection string came from, for error messages. @default 'the ledger URL' */
  source?: string;
  /** Connections the pool keeps at most. @default 4 */
  maxConnections?: number;
  /** How long to wait for a connection before a query fails. @default 10000 */
  connectionTimeoutMs?: number;
}

/** Options of a reader or writer of the ledger table: its database's pool, and the table. */
export interface LedgerTableOptions extends LedgerPoolOptions {
  /** The table, optionally schema-qualified. @default 'cascade_ledger' */
  table?: string;
}

/** A connection pool to the ledger's database, after checking its URL. */
export function createLedgerPool(options: LedgerPoolOptions): Pool {
  const pool = new Pool({
    connectionString: checkLedgerConnectionString(options.connectionString, {
      source: options.source ?? 'the ledger URL',
    }),
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
  });
  // An idle connection that the server drops must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}
