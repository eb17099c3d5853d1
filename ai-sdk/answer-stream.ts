import type {
  LanguageModelV4FinishReason,
  LanguageModelV4ResponseMetadata,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
  SharedV4ProviderMetadata,
  SharedV4Warning,
} from '@ai-sdk/provider';

/** About how long a streamed piece of the answer is, in UTF-16 code units. */
export const textChunkLength = 64;

/** A finished answer, as `answerStream` streams it. */
export interface FinishedAnswer {
  warnings: SharedV4Warning[];
  response: LanguageModelV4ResponseMetadata;
  text: string;
  finishReason: LanguageModelV4FinishReason;
  usage: LanguageModelV4Usage;
  providerMetadata: SharedV4ProviderMetadata;
}

/**
 * A finished answer as an AI SDK stream: `stream-start`, `response-metadata`, one text block of a few
 * `text-delta`s (`textChunks`), and `finish` with the reason, usage and provider metadata. The answer is
 * whole before the stream starts, so a caller never sees text that a later step replaces.
 */
export function answerStream(answer: FinishedAnswer): ReadableStream<LanguageModelV4StreamPart> {
  const id = 'text-0';
  const parts: LanguageModelV4StreamPart[] = [
    { type: 'stream-start', warnings: answer.warnings },
    { type: 'response-metadata', ...answer.response },
    { type: 'text-start', id },
    ...textChunks(answer.text).map((delta): LanguageModelV4StreamPart => ({ type: 'text-delta', id, delta })),
    { type: 'text-end', id },
    {
      type: 'finish',
      finishReason: answer.finishReason,
      usage: answer.usage,
      providerMetadata: answer.providerMetadata,
    },
  ];
  return new ReadableStream<LanguageModelV4StreamPart>({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}

/**
 * The text in pieces of about `length` code units, each ending after a whitespace where there is one in
 * reach (a longer word is cut, never inside a surrogate pair). The pieces joined are the text.
 */
export function textChunks(text: string, length: number = textChunkLength): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + length, text.length);
    if (end < text.length) {
      const lastWhitespace = lastWhitespaceIndex(text, start, end);
      if (lastWhitespace > start) end = lastWhitespace + 1;
      else if (end - 1 > start && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    }
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}

/** The index of the last whitespace in `text[start, end)`, or -1. */
function lastWhitespaceIndex(text: string, start: number, end: number): number {
  for (let index = end - 1; index >= start; index -= 1) if (/\s/.test(text[index]!)) return index;
  return -1;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
