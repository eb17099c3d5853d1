import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BackfillSourceError } from './backfill-source-error';
import { createJsonlRequestSource } from './jsonl-source';
import type { RequestSource, SourcePage } from './request-source';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'jsonl-source-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

let fileCount = 0;
function writeFile(lines: string[], options: { name?: string; ending?: string } = {}): string {
  fileCount += 1;
  const path = join(directory, options.name ?? `requests-${fileCount}.jsonl`);
  writeFileSync(path, lines.map((line) => line + (options.ending ?? '\n')).join(''));
  return path;
}

function requestLine(requestId: string, content = `question of ${requestId}`): string {
  return JSON.stringify({ requestId, route: 'support', messages: [{ role: 'user', content }] });
}

async function readAllPages(source: RequestSource, limit: number): Promise<SourcePage[]> {
  const pages: SourcePage[] = [];
  let cursor: string | undefined;
  do {
    const page = await source.readPage(cursor, limit);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== undefined && pages.length < 1000);
  return pages;
}

async function expectSourceError(promise: Promise<unknown>, type: string, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BackfillSourceError);
  expect((error as BackfillSourceError).type).toBe(type);
  expect((error as BackfillSourceError).message).toMatch(message);
}

describe('createJsonlRequestSource paging', () => {
  it('returns every request exactly once, in file order, across pages joined by cursors', async () => {
    const ids = Array.from({ length: 25 }, (_, index) => `ticket-${index + 1}`);
    const lines = ids.flatMap((id, index) => (index % 6 === 5 ? ['', requestLine(id)] : [requestLine(id)]));
    const source = createJsonlRequestSource({ path: writeFile(lines) });

    const pages = await readAllPages(source, 7);

    expect(pages.map((page) => page.requests.length)).toEqual([7, 7, 7, 4]);
    expect(pages.flatMap((page) => page.requests.map((request) => request.requestId))).toEqual(ids);
    expect(pages.slice(0, 3).every((page) => typeof page.nextCursor === 'string')).toBe(true);
    expect(pages[3]!.nextCursor).toBeUndefined();
    expect(pages.every((page) => page.unreadable.length === 0)).toBe(true);
  });

  it('returns the row as stored, unvalidated', async () => {
    const row = { requestId: 'ticket-7', route: 'support', messages: 'not a list', extra: { nested: [1, 2] } };
    const source = createJsonlRequestSource({ path: writeFile([JSON.stringify(row)]) });

    const page = await source.readPage(undefined, 10);

    expect(page.requests).toEqual([{ requestId: 'ticket-7', request: row }]);
    expect(page.nextCursor).toBeUndefined();
  });

  it('ends on the page that reads the last row, even when blank lines follow it', async () => {
    const source = createJsonlRequestSource({
      path: writeFile([requestLine('a-1'), requestLine('a-2'), '', '   ', '']),
    });

    const page = await source.readPage(undefined, 2);

    expect(page.requests.map((request) => request.requestId)).toEqual(['a-1', 'a-2']);
    expect(page.nextCursor).toBeUndefined();
  });

  it('reads an empty file as one drained page', async () => {
    const source = createJsonlRequestSource({ path: writeFile([]) });

    await expect(source.readPage(undefined, 5)).resolves.toEqual({
      requests: [],
      unreadable: [],
      nextCursor: undefined,
    });
    await expect(source.count()).resolves.toBe(0);
  });

  it('reads the same rows whatever the read size, with lines and multi-byte characters spanning reads', async () => {
    const lines = Array.from({ length: 30 }, (_, index) =>
      requestLine(`ticket-${index}`, `Grüße, 你好 ${'ü'.repeat(index * 3)}`),
    );
    const path = writeFile(lines);

    const wholeReads = await readAllPages(createJsonlRequestSource({ path }), 4);
    const tinyReads = await readAllPages(createJsonlRequestSource({ path, chunkBytes: 7 }), 4);

    expect(tinyReads).toEqual(wholeReads);
    expect(
      tinyReads.flatMap((page) =>
        page.requests.map((request) => (request.request as { messages: { content: string }[] }).messages[0]!.content),
      ),
    ).toEqual(lines.map((line) => (JSON.parse(line) as { messages: { content: string }[] }).messages[0]!.content));
  });

  it('reads CRLF line endings and a byte-order mark', async () => {
    const path = join(directory, 'windows.jsonl');
    writeFileSync(path, `\uFEFF${requestLine('w-1')}\r\n\r\n${requestLine('w-2')}\r\n`);
    const source = createJsonlRequestSource({ path });

    const page = await source.readPage(undefined, 10);

    expect(page.unreadable).toEqual([]);
    expect(page.requests.map((request) => request.requestId)).toEqual(['w-1', 'w-2']);
  });

  it('reads a last line that has no newline', async () => {
    const path = join(directory, 'no-final-newline.jsonl');
    writeFileSync(path, `${requestLine('n-1')}\n${requestLine('n-2')}`);
    const source = createJsonlRequestSource({ path });

    const first = await source.readPage(undefined, 1);
    const second = await source.readPage(first.nextCursor, 1);

    expect(first.requests.map((request) => request.requestId)).toEqual(['n-1']);
    expect(second.requests.map((request) => request.requestId)).toEqual(['n-2']);
    expect(second.nextCursor).toBeUndefined();
  });
});

describe('createJsonlRequestSource unreadable rows', () => {
  it('keys each bad line by its line number and keeps reading the page', async () => {
    const path = writeFile([
      requestLine('ticket-1'),
      '{"requestId": "ticket-2", ',
      '',
      '[1, 2, 3]',
      '"just a string"',
      JSON.stringify({ route: 'support', messages: [] }),
      JSON.stringify({ requestId: '', route: 'support' }),
      JSON.stringify({ requestId: 'has spaces in it' }),
      JSON.stringify({ requestId: 42 }),
      requestLine('ticket-1'),
      requestLine('ticket-3'),
    ]);
    const source = createJsonlRequestSource({ path });

    const page = await source.readPage(undefined, 50);

    expect(page.requests.map((request) => request.requestId)).toEqual(['ticket-1', 'ticket-3']);
    expect(page.unreadable.map((row) => row.rowKey)).toEqual([
      'line 2',
      'line 4',
      'line 5',
      'line 6',
      'line 7',
      'line 8',
      'line 9',
      'line 10',
    ]);
    const reasons = page.unreadable.map((row) => row.reason);
    expect(reasons[0]).toMatch(/^not valid JSON: /);
    expect(reasons[1]).toBe('not a JSON object');
    expect(reasons[2]).toBe('not a JSON object');
    expect(reasons[3]).toBe('no requestId');
    expect(reasons[4]).toMatch(/^requestId must be 1 to 200 characters/);
    expect(reasons[5]).toMatch(/^requestId must be 1 to 200 characters/);
    expect(reasons[6]).toMatch(/^requestId .*string/i);
    expect(page.unreadable[7]).toEqual({ rowKey: 'line 10', requestId: 'ticket-1', reason: 'duplicate request id' });
    expect(page.unreadable.slice(0, 7).every((row) => row.requestId === undefined)).toBe(true);
  });

  it('numbers bad lines from the top of the file on later pages', async () => {
    const lines = Array.from({ length: 12 }, (_, index) => requestLine(`ticket-${index + 1}`));
    lines.splice(9, 0, 'garbage');
    const source = createJsonlRequestSource({ path: writeFile(['', ...lines]) });

    const pages = await readAllPages(source, 4);

    expect(pages.flatMap((page) => page.unreadable)).toEqual([
      { rowKey: 'line 11', reason: expect.stringMatching(/^not valid JSON/) },
    ]);
    expect(pages[2]!.unreadable).toHaveLength(1);
    // Unreadable rows count towards the page size.
    expect(pages.map((page) => page.requests.length + page.unreadable.length)).toEqual([4, 4, 4, 1]);
  });
});

describe('createJsonlRequestSource on a large file', () => {
  const lineCount = 100_000;
  const resumeAfter = 90_000;
  let path: string;
  let lines: string[];
  beforeAll(() => {
    lines = Array.from({ length: lineCount }, (_, index) => requestLine(`ticket-${index + 1}`));
    lines[90_499] = 'not json at line 90500';
    path = writeFile(lines, { name: 'large.jsonl' });
  });

  it('counts its non-blank lines', async () => {
    await expect(createJsonlRequestSource({ path }).count()).resolves.toBe(lineCount);
  });

  it('starts a later page at its cursor without reading what comes before it', async () => {
    // Only the row count bounds these pages.
    const source = createJsonlRequestSource({
      path,
      limits: { maxRowBytes: 1024, maxPageBytes: Number.POSITIVE_INFINITY },
    });
    const first = await source.readPage(undefined, resumeAfter);
    expect(first.requests).toHaveLength(resumeAfter);
    expect(first.requests[resumeAfter - 1]!.requestId).toBe(`ticket-${resumeAfter}`);

    // Overwrite everything before the cursor but the newline ending it: a reader that started from
    // the top would now find one unreadable line and miscount every line after it.
    const bytesBefore = Buffer.byteLength(lines.slice(0, resumeAfter).join('\n') + '\n');
    const handle = await open(path, 'r+');
    await handle.write(Buffer.alloc(bytesBefore - 1, 'x'), 0, bytesBefore - 1, 0);
    await handle.close();

    const later = await source.readPage(first.nextCursor, 1000);

    expect(later.requests[0]!.requestId).toBe(`ticket-${resumeAfter + 1}`);
    expect(later.requests.map((request) => request.requestId)).toEqual(
      Array.from({ length: 999 }, (_, index) => `ticket-${resumeAfter + 1 + index + (index >= 499 ? 1 : 0)}`),
    );
    expect(later.unreadable).toEqual([{ rowKey: 'line 90500', reason: expect.stringMatching(/^not valid JSON/) }]);
    expect(later.nextCursor).toBeDefined();
  });
});

describe('createJsonlRequestSource count, outcomes and refusals', () => {
  it('counts non-blank lines, bad ones included', async () => {
    const source = createJsonlRequestSource({
      path: writeFile([requestLine('c-1'), '', 'bad', '  ', requestLine('c-2')]),
    });

    await expect(source.count()).resolves.toBe(3);
  });

  it('records no outcomes and has nothing to requeue', async () => {
    const source = createJsonlRequestSource({ path: writeFile([requestLine('o-1')]) });

    await expect(
      source.recordOutcomes([{ requestId: 'o-1', outcome: 'accepted', costUsd: 0.01, workflowId: 'cascade-o-1' }]),
    ).resolves.toBeUndefined();
    expect(source.requeue).toBeUndefined();
    await expect(source.close()).resolves.toBeUndefined();
  });

  it('refuses a cursor it did not produce', async () => {
    const source = createJsonlRequestSource({ path: writeFile([requestLine('k-1')]) });

    await expectSourceError(source.readPage('42', 10), 'BackfillCursorInvalid', /not a JSONL source cursor/);
  });

  it('refuses a cursor the file no longer fits', async () => {
    const path = writeFile([requestLine('s-1'), requestLine('s-2'), requestLine('s-3')]);
    const source = createJsonlRequestSource({ path });
    const first = await source.readPage(undefined, 2);

    writeFileSync(path, `{"requestId":"moved-by-a-few-bytes"}\n${requestLine('s-2')}\n${requestLine('s-3')}\n`);
    await expectSourceError(
      source.readPage(first.nextCursor, 2),
      'BackfillSourceChanged',
      /is not the start of a line/,
    );

    truncateSync(path, 10);
    await expectSourceError(
      source.readPage(first.nextCursor, 2),
      'BackfillSourceChanged',
      /beyond the end of the file/,
    );
  });

  it('refuses a page limit below one', async () => {
    const source = createJsonlRequestSource({ path: writeFile([requestLine('l-1')]) });

    await expectSourceError(source.readPage(undefined, 0), 'BackfillSourceInvalid', /positive integer/);
  });

  it('reports a missing file as not found', async () => {
    const source = createJsonlRequestSource({ path: join(directory, 'missing.jsonl') });

    await expectSourceError(source.readPage(undefined, 10), 'BackfillSourceNotFound', /does not exist/);
    await expectSourceError(source.count(), 'BackfillSourceNotFound', /does not exist/);
  });

  it('refuses a gzipped file by its name and by its content', async () => {
    expect(() => createJsonlRequestSource({ path: join(directory, 'requests.jsonl.gz') })).toThrow(
      /gzipped JSONL is not supported.*gunzip/,
    );

    const path = join(directory, 'secretly-gzipped.jsonl');
    writeFileSync(path, gzipSync(requestLine('g-1') + '\n'));
    await expectSourceError(
      createJsonlRequestSource({ path }).readPage(undefined, 10),
      'BackfillSourceInvalid',
      /gzipped JSONL is not supported/,
    );
  });
});

describe('createJsonlRequestSource row and page sizes', () => {
  const limits = { maxRowBytes: 400, maxPageBytes: 1000 };

  it('records a row over the row limit and a line that is not UTF-8 as unreadable, and reads on', async () => {
    const path = join(directory, 'sizes.jsonl');
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from(`${requestLine('small-1')}\n${requestLine('huge', 'x'.repeat(500))}\n`),
        Buffer.from(`${requestLine('latin', 'caf\xe9')}\n`, 'latin1'),
        Buffer.from(`${requestLine('small-2', 'café')}\n`),
      ]),
    );
    const [page] = await readAllPages(createJsonlRequestSource({ path, limits }), 10);
    expect(page!.requests.map((request) => request.requestId)).toEqual(['small-1', 'small-2']);
    expect(page!.unreadable).toEqual([
      {
        rowKey: 'line 2',
        reason: expect.stringMatching(/^row is 5\d\d bytes, above the 400 bytes a request row may take/),
      },
      { rowKey: 'line 3', reason: 'not valid UTF-8 (save the file as UTF-8)' },
    ]);
  });

  it('ends a page before the row that would take it past its byte bound, and reads every row once', async () => {
    const ids = Array.from({ length: 9 }, (_, index) => `ticket-${index}`);
    const lines = ids.map((id) => requestLine(id, 'y'.repeat(250)));
    const rowBytes = Buffer.byteLength(lines[0]!);
    const pages = await readAllPages(createJsonlRequestSource({ path: writeFile(lines), limits }), 100);
    const perPage = Math.floor(limits.maxPageBytes / rowBytes);
    expect(perPage).toBeGreaterThan(1);
    const expected = Array.from({ length: Math.ceil(ids.length / perPage) }, (_, page) =>
      Math.min(perPage, ids.length - page * perPage),
    );
    expect(pages.map((page) => page.requests.length)).toEqual(expected);
    expect(pages.flatMap((page) => page.requests.map((request) => request.requestId))).toEqual(ids);
  });
});
