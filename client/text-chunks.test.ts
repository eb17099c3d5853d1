import { textChunks } from './text-chunks';

describe('textChunks', () => {
  it('cuts after a whitespace, so the pieces joined are the text', () => {
    const text = 'The invoice shows a charge the customer does not recognise, so it is a billing question. '.repeat(3);
    const chunks = textChunks(text, 64);
    expect(chunks.join('')).toBe(text);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.length).toBeLessThanOrEqual(64);
      expect(chunk).toMatch(/\s$/);
    }
  });

  it('cuts a word longer than a piece, never inside a surrogate pair', () => {
    const text = `${'a'.repeat(9)}😀${'b'.repeat(20)}`;
    const chunks = textChunks(text, 10);
    expect(chunks.join('')).toBe(text);
    expect(chunks[0]).toBe('a'.repeat(9));
    expect(chunks[1]!.startsWith('😀')).toBe(true);
    expect(textChunks('😀😀', 1)).toEqual(['\ud83d', '\ude00', '\ud83d', '\ude00']);
  });

  it('gives a short text whole, and no piece for an empty one', () => {
    expect(textChunks('{"category": "billing"}')).toEqual(['{"category": "billing"}']);
    expect(textChunks('')).toEqual([]);
  });
});
