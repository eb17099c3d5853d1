import { thinEvenly } from './thin-evenly';

describe('thinEvenly', () => {
  it('keeps the first and last and spaces the rest evenly by position', () => {
    const values = Array.from({ length: 11 }, (_unused, index) => index);
    // positions 0, 2.5, 5, 7.5, 10, rounded half up
    expect(thinEvenly(values, 5)).toEqual([0, 3, 5, 8, 10]);
    expect(thinEvenly(values, 2)).toEqual([0, 10]);
  });

  it('returns every value, in order, when there are no more than asked for', () => {
    expect(thinEvenly(['a', 'b', 'c'], 3)).toEqual(['a', 'b', 'c']);
    expect(thinEvenly(['a', 'b'], 10)).toEqual(['a', 'b']);
    expect(thinEvenly([], 10)).toEqual([]);
  });

  it('never repeats a value and returns exactly count values from a longer list', () => {
    const values = Array.from({ length: 1000 }, (_unused, index) => index);
    const thinned = thinEvenly(values, 101);
    expect(thinned).toHaveLength(101);
    expect(new Set(thinned).size).toBe(101);
    expect(thinned[0]).toBe(0);
    expect(thinned[100]).toBe(999);
  });

  it('rejects a count below 2 or not an integer', () => {
    expect(() => thinEvenly([1, 2, 3], 1)).toThrow('thinEvenly: count must be an integer of at least 2, got 1');
    expect(() => thinEvenly([1, 2, 3], 2.5)).toThrow('thinEvenly: count must be an integer of at least 2, got 2.5');
  });
});
