import { BackfillSourceError, backfillSourceErrorTypes } from './backfill-source-error';

const gzipMagic = [0x1f, 0x8b];

const gzipAdvice =
  'gzipped JSONL is not supported: a page starts at a byte offset of the file, and a gzip stream cannot be entered there ' +
  'without decompressing it from the top. Decompress it first (gunzip -k).';

/** Refuses a file named `*.gz` with a `BackfillSourceInvalid` error. */
export function refuseGzipName(path: string): void {
  if (path.toLowerCase().endsWith('.gz')) {
    throw new BackfillSourceError({ type: backfillSourceErrorTypes.invalid, message: `${path}: ${gzipAdvice}` });
  }
}

/** Refuses a file whose first bytes are gzip's magic number, whatever it is called. */
export function refuseGzipContent(options: { path: string; firstBytes: Uint8Array }): void {
  if (
    options.firstBytes.length >= 2 &&
    options.firstBytes[0] === gzipMagic[0] &&
    options.firstBytes[1] === gzipMagic[1]
  ) {
    throw new BackfillSourceError({
      type: backfillSourceErrorTypes.invalid,
      message: `${options.path}: ${gzipAdvice}`,
    });
  }
}
