import { InvalidArgumentError, NoSuchModelError } from '@ai-sdk/provider';
import type { CascadeClient } from '../client/cascade-client';
import { parseConfig } from '../config/load-config';
import { CascadeLanguageModel } from './cascade-language-model';
import { createCascade } from './create-cascade';

const routes = parseConfig(
  `
models:
  cheap: { provider: openai, model: cheap-model, baseUrl: "http://127.0.0.1:1/v1", apiKeyEnv: KEY }
  flagship: { provider: openai, model: flagship-model, baseUrl: "http://127.0.0.1:1/v1", apiKeyEnv: KEY }
routes:
  support-ticket:
    cheap: { model: cheap }
    flagship: { model: flagship }
    gate: { kind: refusal }
`,
  { source: 'test routes' },
);

const client = {} as CascadeClient;

describe('createCascade', () => {
  it('is an AI SDK provider whose models are routes, written plain or with the cascade/ prefix', () => {
    const cascade = createCascade({ client });
    expect(cascade.specificationVersion).toBe('v4');
    for (const model of [cascade('support-ticket'), cascade.languageModel('cascade/support-ticket')]) {
      expect(model).toBeInstanceOf(CascadeLanguageModel);
      expect(model).toMatchObject({ specificationVersion: 'v4', provider: 'cascade', modelId: 'support-ticket' });
      expect(model.supportedUrls).toEqual({});
    }
  });

  it('refuses a route its routes lack, naming the ones it has', () => {
    const cascade = createCascade({ client, routes });
    expect(cascade('support-ticket').modelId).toBe('support-ticket');
    expect(() => cascade('nope')).toThrow(NoSuchModelError);
    expect(() => cascade.languageModel('cascade/nope')).toThrow('no route "nope" (routes: support-ticket)');
    expect(() => createCascade({ client })('cascade/')).toThrow(NoSuchModelError);
  });

  it('has no embedding or image models', () => {
    const cascade = createCascade({ client });
    expect(() => cascade.embeddingModel('support-ticket')).toThrow(NoSuchModelError);
    expect(() => cascade.imageModel('support-ticket')).toThrow(NoSuchModelError);
  });

  it('checks its settings', () => {
    expect(() => createCascade({ client, requestTimeoutMs: 0 })).toThrow(
      new InvalidArgumentError({
        argument: 'requestTimeoutMs',
        message: 'createCascade: requestTimeoutMs must be a positive number of milliseconds, not 0',
      }),
    );
    expect(() => createCascade({ client, webUiUrl: 'https://temporal.example.com/' })).not.toThrow();
    expect(() => createCascade({ client, webUiUrl: 'localhost:8233' })).toThrow(
      'createCascade: webUiUrl must be an http(s) URL such as http://localhost:8233, not "localhost:8233"',
    );
  });

  it('connects nothing until a call, and closes nothing it did not open', async () => {
    const cascade = createCascade({ connection: { address: '127.0.0.1:1' } });
    expect(cascade('support-ticket').modelId).toBe('support-ticket');
    await expect(cascade.close()).resolves.toBeUndefined();
    await expect(createCascade({ client }).close()).resolves.toBeUndefined();
  });
});
