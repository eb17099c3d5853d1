import { isUtf8 } from 'node:buffer';
import type { FileHandle } from 'node:fs/promises';

/** One line of a file, located by bytes so a later read can start right after it. */
export interface FileLine {
  /** The line's text without its line ending. */
  text: string;
  /** 1-based line number in the file. */
  lineNumber: number;
  /** Byte offset just past the line's newline: where the next line starts. */
  endOffset: number;
  /** The line's length in bytes, without its line ending. */
  bytes: number;
  /** Whether the line's bytes are valid UTF-8 (else `text` holds replacement characters). */
  utf8: boolean;
}

export interface ReadLinesOptions {
  handle: FileHandle;
  /** Byte offset of the first line to read; it must be the start of a line. */
  startOffset: number;
  /** The line number of the line at `startOffset`. */
  startLineNumber: number;
  /** Bytes read from the file at a time. @default 65536 */
  chunkBytes?: number;
}

const newline = 0x0a;
const carriageReturn = 0x0d;

/**
 * Yields the lines of a file from a byte offset, reading only from there on. Splitting on the byte
 * `\n` is safe in UTF-8, where that byte never occurs inside a multi-byte character. A last line
 * without a newline is yielded too. `\r\n` endings lose their `\r`.
 */
export async function* readLinesFrom(options: ReadLinesOptions): AsyncGenerator<FileLine> {
  const chunk = Buffer.alloc(options.chunkBytes ?? 65536);
  let pending: Buffer = Buffer.alloc(0);
  // Byte offset of pending[0] in the file.
  let pendingOffset = options.startOffset;
  let lineNumber = options.startLineNumber;
  for (;;) {
    const { bytesRead } = await options.handle.read(chunk, 0, chunk.length, pendingOffset + pending.length);
    if (bytesRead === 0) {
      if (pending.length > 0)
        yield { ...decodeLine(pending, 0, pending.length), lineNumber, endOffset: pendingOffset + pending.length };
      return;
    }
    const data =
      pending.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([pending, chunk.subarray(0, bytesRead)]);
    let lineStart = 0;
    for (let index = data.indexOf(newline); index !== -1; index = data.indexOf(newline, lineStart)) {
      yield { ...decodeLine(data, lineStart, index), lineNumber, endOffset: pendingOffset + index + 1 };
      lineNumber += 1;
      lineStart = index + 1;
    }
    // Copied: `chunk` is overwritten by the next read.
    pending = Buffer.from(data.subarray(lineStart));
    pendingOffset += lineStart;
  }
}

function decodeLine(data: Buffer, start: number, end: number): Pick<FileLine, 'text' | 'bytes' | 'utf8'> {
  const last = end > start && data[end - 1] === carriageReturn ? end - 1 : end;
  return { text: data.toString('utf8', start, last), bytes: last - start, utf8: isUtf8(data.subarray(start, last)) };
}
