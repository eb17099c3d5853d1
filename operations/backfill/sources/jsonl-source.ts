import { open, type FileHandle } from 'node:fs/promises';
import { BackfillSourceError, backfillSourceErrorTypes } from './backfill-source-error';
import { readLinesFrom } from './file-lines';
import { checkPageLimit } from './page-limit';
import { defaultRowLimits, oversizedRowReason, type RowLimits } from './row-limits';
import { refuseGzipContent, refuseGzipName } from './gzip-refusal';
import type { QueuedRequest, RequestSource, SourcePage, UnreadableRow } from './request-source';
import { isJsonObject, readStoredRequestId } from './stored-request-id';

export interface JsonlRequestSourceOptions {
  /** The JSONL file: one cascade request object a line. Gzipped files are refused. */
  path: string;
  /** Bytes read from the file at a time. @default 65536 */
  chunkBytes?: number;
  /** How large a row and a page may be. @default defaultRowLimits */
  limits?: RowLimits;
}

/** Where a page starts: a byte offset at the start of a line, and that line's number (for `line N` keys). */
interface JsonlCursor {
  offset: number;
  lineNumber: number;
}

const startOfFile: JsonlCursor = { offset: 0, lineNumber: 1 };
const cursorPattern = /^(\d+):(\d+)$/;

/**
 * A JSONL file of cascade requests, one object a line; blank lines are skipped.
 *
 * - Pages: a page holds at most `limit` rows, readable or not. Its cursor is `<byte offset>:<line number>`,
 *   so a page starts where the last one stopped without reading the file from the top. The file must not
 *   change while a job drains it; a cursor that no longer falls at the start of a line, or beyond the end
 *   of the file, fails with `BackfillSourceChanged`.
 * - Unreadable rows (`line N`): a line that is not UTF-8, larger than a request row may be
 *   (`limits.maxRowBytes`), not JSON, not a JSON object, or without a `requestId` the cascade accepts.
 *   Objects are returned unvalidated otherwise. A page also ends before `limits.maxPageBytes`.
 * - Duplicate request ids: a repeat within one page is unreadable (`duplicate request id`); a repeat in
 *   another page is not detected, so ids must be unique in the file. (A repeated id starts no second
 *   cascade anyway: the workflow id derives from the request id.)
 * - `count()` streams the file once and counts its non-blank lines. `recordOutcomes` does nothing.
 *
 * A file named `*.gz`, or starting with gzip's magic bytes, is refused with `BackfillSourceInvalid`:
 * a gzip stream cannot be entered at a byte offset.
 */
export function createJsonlRequestSource(options: JsonlRequestSourceOptions): RequestSource {
  refuseGzipName(options.path);
  const { path } = options;

  return {
    async readPage(cursorText, limit) {
      checkPageLimit(limit);
      const cursor = parseCursor(cursorText);
      const handle = await openFile(path);
      try {
        await checkCursor({ handle, path, cursor });
        return await readRows({
          handle,
          cursor,
          limit,
          chunkBytes: options.chunkBytes,
          limits: options.limits ?? defaultRowLimits,
        });
      } finally {
        await handle.close();
      }
    },

    async count() {
      const handle = await openFile(path);
      try {
        await checkCursor({ handle, path, cursor: startOfFile });
        let lines = 0;
        for await (const line of readLinesFrom({ handle, startOffset: 0, startLineNumber: 1, chunkBytes: 1 << 20 })) {
          if (line.text.trim() !== '') lines += 1;
        }
        return lines;
      } finally {
        await handle.close();
      }
    },

    async recordOutcomes() {
      // A file keeps no outcomes.
    },

    async close() {
      // Every read opens and closes its own file handle.
    },
  };
}

async function readRows(options: {
  handle: FileHandle;
  cursor: JsonlCursor;
  limit: number;
  chunkBytes: number | undefined;
  limits: RowLimits;
}): Promise<SourcePage> {
  const requests: QueuedRequest[] = [];
  const unreadable: UnreadableRow[] = [];
  const lineOfRequestId = new Map<string, number>();
  let next = options.cursor;
  let drained = true;
  let pageBytes = 0;
  for await (const line of readLinesFrom({
    handle: options.handle,
    startOffset: options.cursor.offset,
    startLineNumber: options.cursor.lineNumber,
    chunkBytes: options.chunkBytes,
  })) {
    // A byte-order mark is not whitespace to JSON.parse.
    const text = line.lineNumber === 1 ? line.text.replace(/^\uFEFF/, '') : line.text;
    if (text.trim() === '') {
      next = { offset: line.endOffset, lineNumber: line.lineNumber + 1 };
      continue;
    }
    // Stopping at the next non-blank line, not right after the limit, lets a page that ends the file say so.
    if (requests.length + unreadable.length === options.limit) {
      drained = false;
      break;
    }
    const readable = line.utf8 && line.bytes <= options.limits.maxRowBytes;
    // A page is an activity's result: it ends before the row that would take it past its bound.
    if (readable && requests.length > 0 && pageBytes + line.bytes > options.limits.maxPageBytes) {
      drained = false;
      break;
    }
    const rowKey = `line ${line.lineNumber}`;
    const row = !line.utf8
      ? { reason: 'not valid UTF-8 (save the file as UTF-8)' }
      : line.bytes > options.limits.maxRowBytes
        ? { reason: oversizedRowReason(line.bytes, options.limits) }
        : parseLine(text);
    if ('reason' in row) {
      unreadable.push({ rowKey, reason: row.reason });
    } else if (lineOfRequestId.has(row.requestId)) {
      unreadable.push({ rowKey, requestId: row.requestId, reason: 'duplicate request id' });
    } else {
      lineOfRequestId.set(row.requestId, line.lineNumber);
      requests.push(row);
      pageBytes += line.bytes;
    }
    next = { offset: line.endOffset, lineNumber: line.lineNumber + 1 };
  }
  return { requests, unreadable, nextCursor: drained ? undefined : `${next.offset}:${next.lineNumber}` };
}

function parseLine(text: string): QueuedRequest | { reason: string } {
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch (error) {
    return { reason: `not valid JSON: ${(error as Error).message}` };
  }
  if (!isJsonObject(row)) return { reason: 'not a JSON object' };
  const stored = readStoredRequestId(row);
  if (stored.requestId === undefined) return { reason: stored.reason };
  return { requestId: stored.requestId, request: row };
}

function parseCursor(cursor: string | undefined): JsonlCursor {
  if (cursor === undefined) return startOfFile;
  const match = cursorPattern.exec(cursor);
  const offset = Number(match?.[1]);
  const lineNumber = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(offset) || !Number.isSafeInteger(lineNumber) || lineNumber < 1) {
    throw new BackfillSourceError({
      type: backfillSourceErrorTypes.invalidCursor,
      message: `${JSON.stringify(cursor)} is not a JSONL source cursor (<byte offset>:<line number>)`,
    });
  }
  return { offset, lineNumber };
}

async function openFile(path: string): Promise<FileHandle> {
  try {
    const handle = await open(path, 'r');
    const stats = await handle.stat();
    if (stats.isFile()) return handle;
    await handle.close();
    throw new BackfillSourceError({ type: backfillSourceErrorTypes.notFound, message: `${path} is not a file` });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new BackfillSourceError({
        type: backfillSourceErrorTypes.notFound,
        message: `${path} does not exist`,
        cause: error,
      });
    }
    throw error;
  }
}

/** Refuses gzip content and a cursor the file no longer fits: beyond its end, or not at the start of a line. */
async function checkCursor(options: { handle: FileHandle; path: string; cursor: JsonlCursor }): Promise<void> {
  const head = Buffer.alloc(2);
  const { bytesRead } = await options.handle.read(head, 0, 2, 0);
  refuseGzipContent({ path: options.path, firstBytes: head.subarray(0, bytesRead) });
  const { offset } = options.cursor;
  if (offset === 0) return;
  const { size } = await options.handle.stat();
  const before = Buffer.alloc(1);
  const read = offset <= size ? await options.handle.read(before, 0, 1, offset - 1) : undefined;
  if (read?.bytesRead !== 1 || before[0] !== 0x0a) {
    throw new BackfillSourceError({
      type: backfillSourceErrorTypes.sourceChanged,
      message: `${options.path} changed since the cursor was taken: byte ${offset} ${offset > size ? `is beyond the end of the file (${size} bytes)` : 'is not the start of a line'}`,
    });
  }
}
