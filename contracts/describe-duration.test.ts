import { describeDuration } from './describe-duration';

describe('describeDuration', () => {
  it.each([
    [86_400_000, '1d'],
    [3_600_000, '1h'],
    [5_400_000, '90m'],
    [2_000, '2s'],
    [2_500, '2500ms'],
    [0, '0ms'],
  ])('writes %d ms as %s', (milliseconds, text) => {
    expect(describeDuration(milliseconds)).toBe(text);
  });
});
