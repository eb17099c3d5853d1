import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { answerStream } from './answer-stream';

async function partsOf(stream: ReadableStream<LanguageModelV4StreamPart>): Promise<LanguageModelV4StreamPart[]> {
  const parts: LanguageModelV4StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

describe('answerStream', () => {
  it('streams the answer as one text block between its metadata and its finish', async () => {
    const timestamp = new Date('2026-12-01T10:00:00Z');
    const usage = {
      inputTokens: { total: 10, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: 5, text: 5, reasoning: undefined },
    };
    const parts = await partsOf(
      answerStream({
        warnings: [{ type: 'unsupported', feature: 'topP' }],
        response: { id: 'cascade-1', modelId: 'cheap-model', timestamp },
        text: 'word '.repeat(20),
        finishReason: { unified: 'stop', raw: 'stop' },
        usage,
        providerMetadata: { cascade: { outcome: 'accepted' } },
      }),
    );
    expect(parts.map((part) => part.type)).toEqual([
      'stream-start',
      'response-metadata',
      'text-start',
      'text-delta',
      'text-delta',
      'text-end',
      'finish',
    ]);
    expect(parts[0]).toEqual({ type: 'stream-start', warnings: [{ type: 'unsupported', feature: 'topP' }] });
    expect(parts[1]).toEqual({ type: 'response-metadata', id: 'cascade-1', modelId: 'cheap-model', timestamp });
    const deltas = parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : []));
    expect(deltas.join('')).toBe('word '.repeat(20));
    expect(parts[parts.length - 1]).toEqual({
      type: 'finish',
      finishReason: { unified: 'stop', raw: 'stop' },
      usage,
      providerMetadata: { cascade: { outcome: 'accepted' } },
    });
  });
});
