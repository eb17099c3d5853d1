import type { ChatMessage } from './chat-message';

/** Temporal's limit on one payload (a workflow's input, an activity's result): 2 MiB. */
export const temporalPayloadLimitBytes = 2 * 1024 * 1024;

/**
 * The most a cascade's workflow input may take as JSON: Temporal's limit, less room for what the start
 * event holds besides (headers, search attributes, the summary and details).
 */
export const requestPayloadLimitBytes = temporalPayloadLimitBytes - 64 * 1024;

/** The most UTF-8 bytes a request's messages may hold, unless the worker's `limits.maximumRequestBytes` says otherwise. */
export const defaultMaximumRequestBytes = 256 * 1024;

/** The length of a string in UTF-8 bytes, counted without an encoder (workflows have none to spare). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        index += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** The UTF-8 bytes of every message's text. */
export function messageBytes(messages: readonly ChatMessage[]): number {
  return messages.reduce((total, message) => total + utf8ByteLength(message.content), 0);
}

/**
 * What is wrong with the messages' text, each problem naming its message (`messages.2.content: …`): empty
 * or blank text (a provider bills for it and answers nothing useful), a lone UTF-16 surrogate (text that
 * is not valid Unicode, so it cannot be sent as UTF-8), a NUL character, or text above `maximumBytes`.
 * Pure, so the workflow checks the same as the client.
 */
export function messageTextProblems(messages: readonly ChatMessage[], maximumBytes: number): string[] {
  const problems: string[] = [];
  messages.forEach((message, index) => {
    const field = `messages.${index}.content`;
    if (message.content.trim() === '') problems.push(`${field}: is empty or only whitespace`);
    else if (!isWellFormed(message.content))
      problems.push(`${field}: is not valid Unicode text (a lone surrogate), so it cannot be sent as UTF-8`);
    else if (message.content.includes('\u0000')) problems.push(`${field}: holds a NUL character`);
  });
  const sizeProblem = requestSizeProblem(messageBytes(messages), maximumBytes);
  if (sizeProblem) problems.push(sizeProblem);
  return problems;
}

/** The problem of message text of `bytes` UTF-8 bytes under a limit of `maximumBytes`; undefined when it fits. */
export function requestSizeProblem(bytes: number, maximumBytes: number): string | undefined {
  return bytes > maximumBytes
    ? `messages: ${bytes} bytes of text, above the limit of ${maximumBytes} bytes (limits.maximumRequestBytes)`
    : undefined;
}

function isWellFormed(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      index += 1;
    } else if (code >= 0xdc00 && code <= 0xdfff) return false;
  }
  return true;
}
