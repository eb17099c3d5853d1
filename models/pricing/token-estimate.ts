import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';

let encoding: Tiktoken | undefined;

/** Characters encoded at a time: byte-pair merging is quadratic in a piece's length, so a piece stays short. */
const chunkCharacters = 256;
/** Characters encoded at most; a longer text is counted at the rate of its first part. */
const sampledCharacters = 32 * 1024;

/**
 * Tokens of a text by the `o200k_base` encoding (OpenAI's current one; a fair estimate for other
 * providers' tokenizers too), for a provider answer that reports no usable counts. Bounded work on any
 * input: the text is encoded in short chunks, and beyond its first 32K characters extrapolated.
 */
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  encoding ??= new Tiktoken(o200kBase);
  const sample = text.slice(0, sampledCharacters);
  let tokens = 0;
  for (let start = 0; start < sample.length; start += chunkCharacters) {
    tokens += encoding.encode(sample.slice(start, start + chunkCharacters)).length;
  }
  return sample.length === text.length ? tokens : Math.ceil((tokens * text.length) / sample.length);
}
