import { checkedUsage, maximumTokensPerCall } from './checked-usage';
import { estimateTokens } from './token-estimate';

const messages = [{ role: 'user' as const, content: 'My invoice shows a charge I do not recognise.' }];
const answerText = '{"category": "billing"}';
const reported = { inputTokens: 20, outputTokens: 7, cachedInputTokens: 4, reasoningTokens: undefined };

describe('checkedUsage', () => {
  it("keeps a provider's whole, non-negative counts as they are", () => {
    expect(checkedUsage({ usage: reported, messages, answerText })).toEqual(reported);
  });

  it.each([
    ['negative', -5],
    ['fractional', 2.5],
    ['absurd', 1e12],
    ['missing', undefined],
    ['not a number', Number.NaN],
  ])('estimates a %s input count with the tokenizer and marks the usage', (_label, inputTokens) => {
    const usage = checkedUsage({ usage: { ...reported, inputTokens }, messages, answerText });
    expect(usage.estimated).toBe(true);
    expect(usage.inputTokens).toBe(4 + estimateTokens(messages[0]!.content));
    expect(usage.outputTokens).toBe(7);
  });

  it('estimates an impossible output count from the answer, and drops impossible cached and reasoning counts', () => {
    const usage = checkedUsage({
      usage: { inputTokens: 20, outputTokens: maximumTokensPerCall + 1, cachedInputTokens: -1, reasoningTokens: 0.5 },
      messages,
      answerText,
    });
    expect(usage).toEqual({
      inputTokens: 20,
      outputTokens: estimateTokens(answerText),
      cachedInputTokens: undefined,
      reasoningTokens: undefined,
      estimated: true,
    });
  });
});

describe('estimateTokens', () => {
  it('counts with the o200k encoding: a short English sentence takes about one token a word', () => {
    const count = estimateTokens('My invoice shows a charge I do not recognise.');
    expect(count).toBeGreaterThanOrEqual(9);
    expect(count).toBeLessThanOrEqual(13);
    expect(estimateTokens('')).toBe(0);
  });

  it('counts a long text by its first part, in proportion, on input built to make byte-pair merging slow', () => {
    const long = 'a'.repeat(200_000);
    const sampled = estimateTokens('a'.repeat(32 * 1024));
    expect(estimateTokens(long)).toBe(Math.ceil((sampled * long.length) / (32 * 1024)));
  });
});
