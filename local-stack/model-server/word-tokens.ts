/**
 * How the model server cuts text into tokens and estimates token counts. Real tokenizers differ by
 * model; these rules only need to be simple, deterministic and documented:
 *
 * - a token is a run of letters, digits and `_`, or one other non-space character, each with the
 *   whitespace before it (`"Hi, you!"` → `["Hi", ",", " you", "!"]`); trailing whitespace is a
 *   token of its own, so the tokens always join back into the text;
 * - a prompt costs `round(words × 1.3)` tokens, where words are the whitespace-separated pieces of
 *   every message's content.
 */
const tokenPattern = /\s*[\p{L}\p{N}_]+|\s*[^\s\p{L}\p{N}_]|\s+$/gu;

/** Splits text into word-ish tokens that join back into the text. */
export function splitIntoTokens(text: string): string[] {
  return text.match(tokenPattern) ?? [];
}

/** Estimated prompt tokens: `round(words × 1.3)` over the contents of all messages. */
export function estimatePromptTokens(contents: readonly string[]): number {
  const words = contents.reduce(
    (count, content) => count + content.split(/\s+/).filter((word) => word !== '').length,
    0,
  );
  return Math.round(words * 1.3);
}
