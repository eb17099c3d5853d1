import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackfillSourceError } from './backfill-source-error';
import { parseSourceArgument } from './source-argument';
import { sourceDescriptorSchema } from './source-descriptor';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'source-argument-'));
  writeFileSync(join(directory, 'requests.jsonl'), '{"requestId":"ticket-1"}\n');
  writeFileSync(join(directory, 'requests.jsonl.gz'), '');
  mkdirSync(join(directory, 'folder'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function parseError(text: string): BackfillSourceError {
  try {
    parseSourceArgument(text, { workingDirectory: directory });
  } catch (error) {
    if (error instanceof BackfillSourceError) return error;
    throw error;
  }
  throw new Error(`${text} was accepted`);
}

describe('parseSourceArgument with a file', () => {
  it('resolves a relative path against the working directory', () => {
    expect(parseSourceArgument('requests.jsonl', { workingDirectory: directory })).toEqual({
      kind: 'jsonl',
      path: join(directory, 'requests.jsonl'),
    });
  });

  it('keeps an absolute path', () => {
    const path = join(directory, 'requests.jsonl');
    expect(parseSourceArgument(` ${path} `)).toEqual({ kind: 'jsonl', path });
  });

  it('refuses a missing file and a directory', () => {
    const missing = parseError('nothing-here.jsonl');
    expect(missing.type).toBe('BackfillSourceNotFound');
    expect(missing.message).toBe(`--source file ${join(directory, 'nothing-here.jsonl')} does not exist`);

    const folder = parseError('folder');
    expect(folder.type).toBe('BackfillSourceNotFound');
    expect(folder.message).toMatch(/is not a file$/);
  });

  it('refuses a gzipped file', () => {
    const error = parseError('requests.jsonl.gz');
    expect(error.type).toBe('BackfillSourceInvalid');
    expect(error.message).toMatch(/gzipped JSONL is not supported/);
  });

  it('refuses an empty argument and other URL schemes', () => {
    expect(parseError('  ').type).toBe('BackfillSourceInvalid');
    const error = parseError('s3://bucket/requests.jsonl');
    expect(error.type).toBe('BackfillSourceInvalid');
    expect(error.message).toBe('--source s3:// is not supported: give a JSONL file path or a postgres:// URL');
  });
});

describe('parseSourceArgument with a PostgreSQL URL', () => {
  it('reads the table from the URL and leaves it out of the connection URL', () => {
    expect(
      parseSourceArgument('postgres://backfill@db.internal:5432/cascades?table=support_queue&sslmode=require'),
    ).toEqual({
      kind: 'postgres',
      url: 'postgres://backfill@db.internal:5432/cascades?sslmode=require',
      table: 'support_queue',
    });
  });

  it('defaults the table to queued_requests and accepts postgresql:// and a schema', () => {
    expect(parseSourceArgument('postgresql://backfill@127.0.0.1:5432/test')).toEqual({
      kind: 'postgres',
      url: 'postgresql://backfill@127.0.0.1:5432/test',
      table: 'queued_requests',
    });
    expect(parseSourceArgument('postgres://backfill@localhost/test?table=jobs.queued_requests')).toEqual({
      kind: 'postgres',
      url: 'postgres://backfill@localhost/test',
      table: 'jobs.queued_requests',
    });
  });

  it('refuses a password, in the user part or as a parameter, without repeating it', () => {
    for (const argument of [
      'postgres://backfill:hunter2@db.internal:5432/cascades',
      'postgres://backfill@db.internal/cascades?password=hunter2',
    ]) {
      const error = parseError(argument);
      expect(error.type).toBe('BackfillSourcePasswordInUrl');
      expect(error.message).toMatch(/must not carry a password/);
      expect(error.message).toMatch(/PGPASSWORD/);
      expect(error.message).toMatch(/workflow history/);
      expect(error.message).not.toContain('hunter2');
    }
  });

  it('refuses a table name that is not a lower-case SQL identifier', () => {
    for (const table of ['Queue', 'queue;drop', 'a.b.c', '9lives', 'x'.repeat(64), '']) {
      const error = parseError(`postgres://backfill@localhost/test?table=${encodeURIComponent(table)}`);
      expect(error.type).toBe('BackfillSourceInvalid');
      expect(error.message).toMatch(/lower-case SQL identifier/);
    }
  });

  it('refuses two tables', () => {
    expect(parseError('postgres://backfill@localhost/test?table=a&table=b').message).toBe(
      '--source URL names more than one table',
    );
  });
});

describe('sourceDescriptorSchema', () => {
  it('accepts what parseSourceArgument produces', () => {
    for (const argument of [
      join(directory, 'requests.jsonl'),
      'postgres://backfill@db.internal:5432/cascades?table=support_queue',
    ]) {
      const descriptor = parseSourceArgument(argument);
      expect(sourceDescriptorSchema.parse(descriptor)).toEqual(descriptor);
    }
  });

  it('refuses a relative path, a password, a table in the URL, a bad table and unknown fields', () => {
    const refused = [
      { kind: 'jsonl', path: 'requests.jsonl' },
      { kind: 'postgres', url: 'postgres://backfill:secret@localhost/test', table: 'queued_requests' },
      { kind: 'postgres', url: 'postgres://backfill@localhost/test?table=other', table: 'queued_requests' },
      { kind: 'postgres', url: 'mysql://backfill@localhost/test', table: 'queued_requests' },
      { kind: 'postgres', url: 'postgres://backfill@localhost/test', table: 'Queue' },
      { kind: 'postgres', url: 'postgres://backfill@localhost/test', table: 'queued_requests', password: 'secret' },
      { kind: 's3', path: '/bucket' },
    ];
    const messages = refused.map((descriptor) => {
      const result = sourceDescriptorSchema.safeParse(descriptor);
      expect(result.success).toBe(false);
      return result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    });
    expect(messages[0]).toBe('path: must be an absolute path');
    expect(messages[1]).toMatch(/^url: must not carry a password/);
    expect(messages[2]).toBe('url: must not carry a table parameter: the table goes in `table`');
    expect(messages[3]).toBe('url: must start with postgres:// or postgresql://, not mysql://');
    expect(messages[4]).toMatch(/^table: must be a lower-case SQL identifier/);
    expect(messages[5]).toMatch(/password/);
  });
});
