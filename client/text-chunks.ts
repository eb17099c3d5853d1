/** About how long a streamed piece of an answer is, in UTF-16 code units. */
export const textChunkLength = 64;

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
