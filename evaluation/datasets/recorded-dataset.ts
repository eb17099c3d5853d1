import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { describeIssues } from '../../contracts/cascade/cascade-request';
import { InvalidDatasetError } from './invalid-dataset-error';
import { recordedRowSchema, type RecordedRow } from './recorded-row';

/** The rows `loadRecordedDataset` returns. */
export type { RecordedRow } from './recorded-row';

export interface LoadRecordedDatasetOptions {
  /** Keep only the rows of this split, e.g. `'train'`. Every line is validated either way. @default every split */
  split?: string;
  /** Keep only the rows of this model family, e.g. `'llama'`. @default every family */
  family?: string;
  /** Keep only the rows of this dataset, e.g. `'rational-cascades/mmlu'`. @default every dataset */
  dataset?: string;
}

const gzipMagic = [0x1f, 0x8b];

/**
 * Reads a replay dataset (JSONL, one format-v1 row a line, gzipped or not: gzip is recognised by
 * its magic bytes, whatever the file is called). Blank lines are skipped. Every line is validated;
 * the first bad line, an unreadable file or a repeated `id` throws an `InvalidDatasetError`
 * (type `InvalidDataset`) naming the file, the line and the field.
 */
export async function loadRecordedDataset(
  path: string,
  options: LoadRecordedDatasetOptions = {},
): Promise<RecordedRow[]> {
  const gzipped = await startsWithGzipMagic(path);
  const fileStream = createReadStream(path);
  const textStream: Readable = gzipped ? fileStream.pipe(createGunzip()) : fileStream;
  // A read or gunzip failure surfaces through the line reader's async iterator.
  fileStream.on('error', (error) => textStream.destroy(error));

  const rows: RecordedRow[] = [];
  const lineOfId = new Map<string, number>();
  let lineNumber = 0;
  try {
    for await (const line of createInterface({ input: textStream, crlfDelay: Infinity })) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      const row = parseRow({ path, line, lineNumber });
      const earlierLine = lineOfId.get(row.id);
      if (earlierLine !== undefined) {
        throw new InvalidDatasetError({
          path,
          line: lineNumber,
          reason: `id: "${row.id}" repeats the id of line ${earlierLine}`,
        });
      }
      lineOfId.set(row.id, lineNumber);
      if (matchesFilters(row, options)) rows.push(row);
    }
  } catch (error) {
    if (InvalidDatasetError.isInstance(error)) throw error;
    throw new InvalidDatasetError({
      path,
      line: lineNumber + 1,
      reason: `cannot read: ${(error as Error).message}`,
      cause: error,
    });
  } finally {
    textStream.destroy();
    fileStream.destroy();
  }
  return rows;
}

function parseRow(options: { path: string; line: string; lineNumber: number }): RecordedRow {
  let value: unknown;
  try {
    value = JSON.parse(options.line);
  } catch (error) {
    throw new InvalidDatasetError({
      path: options.path,
      line: options.lineNumber,
      reason: `not valid JSON: ${(error as Error).message}`,
      cause: error,
    });
  }
  const parsed = recordedRowSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidDatasetError({
      path: options.path,
      line: options.lineNumber,
      reason: describeIssues(parsed.error),
    });
  }
  return parsed.data;
}

function matchesFilters(row: RecordedRow, options: LoadRecordedDatasetOptions): boolean {
  return (
    (options.split === undefined || row.split === options.split) &&
    (options.family === undefined || row.family === options.family) &&
    (options.dataset === undefined || row.dataset === options.dataset)
  );
}

async function startsWithGzipMagic(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : `cannot read: ${(error as Error).message}`;
    throw new InvalidDatasetError({ path, reason, cause: error });
  }
  try {
    const head = Buffer.alloc(gzipMagic.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === gzipMagic.length && head[0] === gzipMagic[0] && head[1] === gzipMagic[1];
  } finally {
    await handle.close();
  }
}
