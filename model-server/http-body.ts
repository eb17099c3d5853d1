import type { IncomingMessage, ServerResponse } from 'node:http';
import { CascadeError } from '../common/cascade-error';
import { failureTypes } from '../common/failure-types';

/** The request body was larger than the server accepts. */
export class RequestTooLargeError extends CascadeError {
  declare readonly type: typeof failureTypes.requestTooLarge;
  override readonly name = 'RequestTooLargeError';

  constructor(options: { message: string }) {
    super({ ...options, type: failureTypes.requestTooLarge });
  }
}

/** Reads a request body as UTF-8 text, refusing more than `limitBytes`. */
export async function readBodyText(request: IncomingMessage, options: { limitBytes: number }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > options.limitBytes)
      throw new RequestTooLargeError({ message: `the request body is larger than ${options.limitBytes} bytes` });
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Answers with a JSON body. */
export function sendJson(
  response: ServerResponse,
  options: { status: number; body: unknown; headers?: Record<string, string> },
): void {
  const text = JSON.stringify(options.body);
  response.writeHead(options.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...options.headers,
  });
  response.end(text);
}
