import { estimatePromptTokens, splitIntoTokens } from './word-tokens';

describe('splitIntoTokens', () => {
  it('cuts words and punctuation, each with the whitespace before it', () => {
    expect(splitIntoTokens('Hi, you!')).toEqual(['Hi', ',', ' you', '!']);
    expect(splitIntoTokens('{"a": 12}')).toEqual(['{', '"', 'a', '"', ':', ' 12', '}']);
  });

  it('always joins back into the text, whitespace and non-Latin letters included', () => {
    for (const text of ['  leading', 'trailing  \n', 'two\n\nlines', 'Größe café 東京', '', '#### 15']) {
      expect(splitIntoTokens(text).join('')).toBe(text);
    }
  });

  it('gives no token for empty text', () => {
    expect(splitIntoTokens('')).toEqual([]);
  });
});

describe('estimatePromptTokens', () => {
  it('is round(words × 1.3) over every message', () => {
    expect(estimatePromptTokens(['one two three', 'four'])).toBe(5);
    expect(estimatePromptTokens(['  spaced   out  '])).toBe(3);
    expect(estimatePromptTokens([''])).toBe(0);
  });
});
