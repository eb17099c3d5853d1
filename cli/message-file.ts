import { readFile } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { InvalidCascadeRequestError } from '../client/cascade-errors';

/**
 * The text of a message file, or of stdin when `path` is `-`, checked to be UTF-8: a file in another
 * encoding (Latin-1, UTF-16) is refused, naming the first line that is not, before anything is billed.
 */
export async function readMessageFile(options: {
  path: string;
  option: string;
  stdin?: NodeJS.ReadableStream;
}): Promise<string> {
  const source = options.path === '-' ? 'stdin' : options.path;
  let bytes: Buffer;
  try {
    bytes = options.path === '-' ? await readAll(options.stdin ?? process.stdin) : await readFile(options.path);
  } catch (error) {
    throw new InvalidCascadeRequestError({
      message: `invalid cascade request: ${options.option} ${source}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    });
  }
  const badLine = firstLineNotUtf8(bytes);
  if (badLine !== undefined) {
    throw new InvalidCascadeRequestError({
      message: `invalid cascade request: ${options.option} ${source}: line ${badLine} is not valid UTF-8 (save the text as UTF-8)`,
    });
  }
  // A byte-order mark is not part of the message.
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/** The 1-based number of the first line that is not valid UTF-8; undefined when every line is. */
export function firstLineNotUtf8(bytes: Buffer): number | undefined {
  if (isUtf8(bytes)) return undefined;
  let lineNumber = 1;
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(0x0a, start);
    const line = bytes.subarray(start, end === -1 ? bytes.length : end);
    if (!isUtf8(line)) return lineNumber;
    if (end === -1) return lineNumber;
    lineNumber += 1;
    start = end + 1;
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
