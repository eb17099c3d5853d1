import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkLedgerConnectionString } from './ledger-pool';
import { checkLedgerTableName, ledgerSchema, ledgerSchemaSql } from './ledger-schema';
import { ledgerFromEnvironment } from './ledger-from-environment';

describe('checkLedgerConnectionString', () => {
  it.each([
    'postgres://cascade@db.internal:5432/cascade',
    'postgresql://cascade@127.0.0.1/test?sslmode=require',
    'postgres://cascade@/cascade',
  ])('accepts %s', (url) => {
    expect(checkLedgerConnectionString(url, { source: '--ledger' })).toBe(url);
  });

  it('refuses a URL with a password, without repeating it, and says where the password goes', () => {
    const attempt = () =>
      checkLedgerConnectionString('postgres://cascade:hunter2@db.internal/cascade', { source: 'CASCADE_LEDGER_URL' });
    expect(attempt).toThrow(
      'CASCADE_LEDGER_URL contains a password; URLs get logged, so remove it from the URL and set PGPASSWORD (or use ~/.pgpass) instead',
    );
    expect(attempt).toThrow(expect.objectContaining({ type: 'InvalidConfiguration' }));
    expect(() =>
      checkLedgerConnectionString('postgres://cascade@db.internal/cascade?password=hunter2', { source: '--ledger' }),
    ).toThrow(/^--ledger contains a password/);
    expect(() =>
      checkLedgerConnectionString('postgres://:hunter2@db.internal/cascade', { source: '--ledger' }),
    ).toThrow(/^--ledger contains a password/);
  });

  it('refuses what is not a PostgreSQL URL', () => {
    expect(() => checkLedgerConnectionString('db.internal:5432', { source: '--ledger' })).toThrow(
      '--ledger must be a postgres:// or postgresql:// URL, got a db.internal:// URL',
    );
    expect(() => checkLedgerConnectionString('host=db.internal dbname=cascade', { source: '--ledger' })).toThrow(
      '--ledger is not a URL: expected postgres://user@host:5432/database',
    );
    expect(() => checkLedgerConnectionString('mysql://cascade@db/cascade', { source: '--ledger' })).toThrow(
      /must be a postgres:\/\/ or postgresql:\/\/ URL, got a mysql:\/\/ URL/,
    );
  });
});

describe('ledger table names', () => {
  it.each(['cascade_ledger', 'billing.cascade_ledger', '_ledger2'])('accepts %s', (name) => {
    expect(checkLedgerTableName(name)).toBe(name);
  });

  it.each(['Cascade', 'ledger; DROP TABLE users', 'a.b.c', '1ledger', '"quoted"', 'x'.repeat(49)])(
    'refuses %j',
    (name) => {
      expect(() => checkLedgerTableName(name)).toThrow(/^invalid ledger table name/);
    },
  );

  it('names the indexes after the table, without its schema', () => {
    expect(ledgerSchemaSql('billing.ledger')).toContain(
      'CREATE INDEX IF NOT EXISTS ledger_finished_at_idx ON billing.ledger (finished_at);',
    );
  });

  it('is documented in operations/ledger/README.md exactly as the code creates it', () => {
    expect(readFileSync(join(__dirname, 'README.md'), 'utf8')).toContain(ledgerSchema);
  });
});

describe('ledgerFromEnvironment', () => {
  it('gives no ledger when CASCADE_LEDGER_URL is unset or empty', () => {
    expect(ledgerFromEnvironment({})).toBeUndefined();
    expect(ledgerFromEnvironment({ CASCADE_LEDGER_URL: ' ' })).toBeUndefined();
  });

  it('gives a ledger on the configured table', async () => {
    const ledger = ledgerFromEnvironment({
      CASCADE_LEDGER_URL: 'postgres://cascade@127.0.0.1:1/none',
      CASCADE_LEDGER_TABLE: 'billing.ledger',
    });
    expect(ledger?.table).toBe('billing.ledger');
    await ledger?.close();
  });

  it('refuses a URL with a password, naming the variable', () => {
    expect(() => ledgerFromEnvironment({ CASCADE_LEDGER_URL: 'postgres://cascade:secret@db/cascade' })).toThrow(
      /^CASCADE_LEDGER_URL contains a password/,
    );
  });
});
