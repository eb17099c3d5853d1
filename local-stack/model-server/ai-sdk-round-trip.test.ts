import { join } from 'node:path';
import { createOpenAI } from '@ai-sdk/openai';
import { APICallError, generateText } from 'ai';
import { loadRecordedDataset } from '../../evaluation/datasets/recorded-dataset';
import { createModelServer, type ModelServer } from './model-server';

/** Proves that the AI SDK's OpenAI chat provider reads the server's answers, logprobs and errors. */
describe('AI SDK round trip over real HTTP', () => {
  let server: ModelServer;
  let provider: ReturnType<typeof createOpenAI>;
  let url: string;

  beforeAll(async () => {
    const mmluRows = await loadRecordedDataset(
      join(__dirname, '..', 'demo', 'data', 'rational-cascades-sample.jsonl.gz'),
      {
        dataset: 'rational-cascades/mmlu',
        family: 'qwen_oai',
      },
    );
    server = createModelServer({
      apiKey: 'sdk-key',
      datasets: mmluRows.slice(0, 1),
      models: [
        { id: 'cheap', default: { text: '{"answer": "{{lastUserMessage}}"}', logprob: -0.4 } },
        {
          id: 'flagship',
          rules: [
            {
              whenContains: 'busy',
              respond: { text: 'finally', faults: [{ status: 429, retryAfterSeconds: 7, times: 1 }] },
            },
          ],
          default: { text: 'fine' },
        },
      ],
    });
    ({ url } = await server.start());
    provider = createOpenAI({ baseURL: url, apiKey: 'sdk-key' });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('returns text, usage and logprobs in providerMetadata.openai.logprobs', async () => {
    const result = await generateText({
      model: provider.chat('cheap'),
      instructions: 'Answer in JSON.',
      prompt: 'forty two',
      maxRetries: 0,
      providerOptions: { openai: { logprobs: true } },
    });
    expect(result.text).toBe('{"answer": "forty two"}');
    expect(result.finishReason).toBe('stop');
    // Five prompt words (system and user) × 1.3, rounded; one completion token per returned token.
    expect(result.usage.inputTokens).toBe(7);
    expect(result.usage.outputTokens).toBe(10);
    expect(result.response.modelId).toBe('cheap');
    const logprobs = result.providerMetadata?.openai?.logprobs as {
      token: string;
      logprob: number;
      top_logprobs: unknown[];
    }[];
    expect(logprobs.map((entry) => entry.token)).toEqual([
      '{',
      '"',
      'answer',
      '"',
      ':',
      ' "',
      'forty',
      ' two',
      '"',
      '}',
    ]);
    expect(logprobs[0]).toEqual({ token: '{', logprob: -0.4, top_logprobs: [] });
    expect(logprobs.every((entry) => entry.logprob === -0.4)).toBe(true);
  });

  it('replays a recorded answer when the AI SDK sends the recorded system and user messages', async () => {
    const result = await generateText({
      model: provider.chat('gpt-4o-mini'),
      instructions:
        'Correctly answer the given multiple-choice question by outputting "A", "B", "C", or "D". Output only "A", "B", "C", or "D", nothing else.',
      prompt:
        "Answer the multiple-choice question below by outputting A, B, C, or D. Don't say anything else.\n\nQuestion: Find all c in Z_3 such that Z_3[x]/(x^2 + c) is a field.\n\nChoices:\nA: 0\nB: 1\nC: 2\nD: 3\n\nAnswer: ",
      maxRetries: 0,
      providerOptions: { openai: { logprobs: true } },
    });
    expect(result.text).toBe('B');
    expect(result.usage).toMatchObject({ inputTokens: 128, outputTokens: 1 });
    expect(result.providerMetadata?.openai?.logprobs).toEqual([{ token: 'B', logprob: -0.23267455, top_logprobs: [] }]);
  });

  it('surfaces a 429 as an APICallError with statusCode 429 and the Retry-After header', async () => {
    const call = () => generateText({ model: provider.chat('flagship'), prompt: 'are you busy?', maxRetries: 0 });
    const error = await call().catch((failure: unknown) => failure);
    expect(APICallError.isInstance(error)).toBe(true);
    const apiCallError = error as APICallError;
    expect(apiCallError.statusCode).toBe(429);
    expect(apiCallError.responseHeaders?.['retry-after']).toBe('7');
    expect(apiCallError.isRetryable).toBe(true);
    expect(apiCallError.message).toContain('flagship answers 429');

    const second = await call();
    expect(second.text).toBe('finally');
  });

  it('surfaces a wrong API key as a non-retryable 401', async () => {
    const wrongKey = createOpenAI({ baseURL: url, apiKey: 'not-the-key' });
    const error = await generateText({ model: wrongKey.chat('cheap'), prompt: 'hi', maxRetries: 0 }).catch(
      (failure: unknown) => failure,
    );
    expect(APICallError.isInstance(error)).toBe(true);
    expect((error as APICallError).statusCode).toBe(401);
    expect((error as APICallError).isRetryable).toBe(false);
  });
});
