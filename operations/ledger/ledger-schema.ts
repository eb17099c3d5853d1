import { ConfigurationError } from '../../config/configuration-error';
import { cascadeOutcomes } from '../../contracts/cascade/cascade-result';

/** The ledger table's name unless one is configured. */
export const defaultLedgerTable = 'cascade_ledger';

const tableNamePattern = /^(?:[a-z_][a-z0-9_]{0,62}\.)?[a-z_][a-z0-9_]{0,47}$/;

/**
 * Checks a ledger table name: lower-case letters, digits and underscores, optionally after a schema
 * name (`billing.cascade_ledger`). The name goes into SQL text, so nothing else is accepted.
 */
export function checkLedgerTableName(table: string): string {
  if (!tableNamePattern.test(table)) {
    throw new ConfigurationError({
      message: `invalid ledger table name ${JSON.stringify(table)}: use lower-case letters, digits and underscores (at most 48), optionally after a schema name and a dot`,
    });
  }
  return table;
}

/**
 * The SQL that creates the ledger table and its indexes, idempotently: one row per workflow run
 * (the primary key makes a second write of the same run a no-op), costs as `double precision` so a
 * row reads back exactly the figures the workflow computed, and indexes for the report's filters
 * (time, then route within time).
 */
export function ledgerSchemaSql(table: string = defaultLedgerTable): string {
  checkLedgerTableName(table);
  const indexPrefix = table.slice(table.lastIndexOf('.') + 1);
  return `CREATE TABLE IF NOT EXISTS ${table} (
  workflow_id        text             NOT NULL,
  run_id             text             NOT NULL,
  request_id         text             NOT NULL,
  route              text             NOT NULL,
  outcome            text             NOT NULL CHECK (outcome IN ('accepted', 'escalated', 'failed')),
  escalation_reason  text,
  failure_type       text,
  answer_tier        text             CHECK (answer_tier IN ('cheap', 'flagship')),
  customer           text,
  backfill_job       text,
  total_usd          double precision NOT NULL,
  cheap_usd          double precision NOT NULL,
  flagship_usd       double precision NOT NULL,
  judge_usd          double precision NOT NULL,
  flagship_only_usd  double precision NOT NULL,
  started_at         timestamptz      NOT NULL,
  finished_at        timestamptz      NOT NULL,
  tags               jsonb            NOT NULL DEFAULT '{}',
  PRIMARY KEY (workflow_id, run_id)
);
CREATE INDEX IF NOT EXISTS ${indexPrefix}_finished_at_idx ON ${table} (finished_at);
CREATE INDEX IF NOT EXISTS ${indexPrefix}_route_finished_at_idx ON ${table} (route, finished_at);
ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS possibly_billed_calls integer NOT NULL DEFAULT 0;
ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS answer_model text;
CREATE INDEX IF NOT EXISTS ${indexPrefix}_customer_finished_at_idx ON ${table} (customer, finished_at);
DO $$ BEGIN
  -- The outcomes of pre-routing and budgets; the check of the first version knew three.
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '${table}'::regclass AND conname = '${indexPrefix}_outcome_v2_check') THEN
    ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${indexPrefix}_outcome_check;
    ALTER TABLE ${table} ADD CONSTRAINT ${indexPrefix}_outcome_v2_check
      CHECK (outcome IN (${cascadeOutcomes.map((outcome) => `'${outcome}'`).join(', ')}));
  END IF;
END $$;
CREATE TABLE IF NOT EXISTS ${table}_circuits (
  endpoint    text             PRIMARY KEY,
  provider    text             NOT NULL,
  base_url    text             NOT NULL,
  model       text             NOT NULL,
  open_until  timestamptz      NOT NULL,
  opened_by   text             NOT NULL,
  updated_at  timestamptz      NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS ${table}_budgets (
  scope       text             NOT NULL CHECK (scope IN ('customer', 'route')),
  name        text             NOT NULL,
  period      text             NOT NULL CHECK (period IN ('day', 'month')),
  soft_usd    double precision,
  hard_usd    double precision,
  action      text             NOT NULL CHECK (action IN ('refuse', 'cheap-only')),
  updated_at  timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, name, period)
);
CREATE TABLE IF NOT EXISTS ${table}_calls (
  workflow_id  text        NOT NULL,
  run_id       text        NOT NULL,
  activity_id  text        NOT NULL,
  attempt      integer     NOT NULL,
  model        text        NOT NULL,
  started_at   timestamptz NOT NULL DEFAULT now(),
  answered_at  timestamptz,
  billable     boolean,
  PRIMARY KEY (workflow_id, run_id, activity_id, attempt)
);
`;
}

/** Every table the ledger's schema creates for `table`: the rows, the call journal, the budgets, the shared circuits. */
export function ledgerTables(table: string = defaultLedgerTable): string[] {
  checkLedgerTableName(table);
  return [table, `${table}_calls`, `${table}_budgets`, `${table}_circuits`];
}

/** The schema of the default table, as `operations/ledger/README.md` shows it. */
export const ledgerSchema = ledgerSchemaSql(defaultLedgerTable);
