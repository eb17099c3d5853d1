import { findFirstMarker } from './marker-search';

describe('findFirstMarker', () => {
  it('finds a marker whatever its case', () => {
    expect(findFirstMarker("Well, I DON'T KNOW that.", ["I don't know"])).toEqual({ marker: "I don't know", index: 6 });
  });

  it('treats typographic apostrophes as plain ones, in the text and in the markers', () => {
    expect(findFirstMarker('I can\u2019t assist with that.', ["I can't assist"])?.marker).toBe("I can't assist");
    expect(findFirstMarker("I can't assist with that.", ['I can\u2019t assist'])?.marker).toBe('I can\u2019t assist');
  });

  it('matches whole words only', () => {
    expect(findFirstMarker('That is impossibly fast.', ['possibly'])).toBeUndefined();
    expect(findFirstMarker('That is possibly fast.', ['possibly'])).toEqual({ marker: 'possibly', index: 8 });
  });

  it('returns the marker found earliest in the text, the listed order breaking ties', () => {
    expect(findFirstMarker('b then a', ['a', 'b'])).toEqual({ marker: 'b', index: 0 });
    expect(findFirstMarker('as an AI model', ['as an AI', 'as an AI model'])?.marker).toBe('as an AI');
  });

  it('takes marker characters literally', () => {
    expect(findFirstMarker('costs $5 (maybe)', ['$5 (maybe)'])).toEqual({ marker: '$5 (maybe)', index: 6 });
    expect(findFirstMarker('a.c', ['a.c'])?.index).toBe(0);
    expect(findFirstMarker('abc', ['a.c'])).toBeUndefined();
  });
});
