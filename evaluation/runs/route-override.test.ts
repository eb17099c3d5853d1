import { join } from 'node:path';
import { loadConfig } from '../../config/load-config';
import type { ModelSpec } from '../../contracts/cascade/route-policy';
import { policyWithGate } from './evaluation.fixture';
import { overrideRouteModels, unpricedModels } from './route-override';

const policy = policyWithGate({ kind: 'refusal' });
const modelServerUrl = 'http://127.0.0.1:4321/v1';
const configuredModels: ModelSpec[] = [
  {
    provider: 'openai',
    model: 'llama3.1-8b',
    baseUrl: 'http://127.0.0.1:8787/v1',
    apiKeyEnv: 'CASCADE_MODEL_SERVER_API_KEY',
    price: { inputPerMillionUsd: 0.2, outputPerMillionUsd: 0.2 },
  },
];

describe('overrideRouteModels', () => {
  it('serves the replaced tiers from the model server, with the configured price of the same model id', () => {
    const overridden = overrideRouteModels({
      policy,
      cheap: 'llama3.1-8b',
      flagship: 'qwen2.5-72b-instruct',
      modelServerUrl,
      configuredModels,
    });
    expect(overridden.cheap.model).toEqual({
      provider: 'openai',
      model: 'llama3.1-8b',
      baseUrl: modelServerUrl,
      apiKeyEnv: 'CASCADE_MODEL_SERVER_API_KEY',
      logprobs: true,
      price: { inputPerMillionUsd: 0.2, outputPerMillionUsd: 0.2 },
    });
    expect(overridden.flagship.model).toEqual({
      provider: 'openai',
      model: 'qwen2.5-72b-instruct',
      baseUrl: modelServerUrl,
      apiKeyEnv: 'CASCADE_MODEL_SERVER_API_KEY',
      logprobs: true,
    });
    expect(overridden.cheap.timeoutMs).toBe(policy.cheap.timeoutMs);
    expect(overridden.gate).toEqual(policy.gate);
  });

  it('keeps a tier that is not replaced as the route has it', () => {
    const overridden = overrideRouteModels({ policy, flagship: 'gpt-4o', modelServerUrl, configuredModels });
    expect(overridden.cheap).toEqual(policy.cheap);
  });
});

describe('unpricedModels', () => {
  it('names the models neither a price nor the price table knows', () => {
    const overridden = overrideRouteModels({
      policy,
      cheap: 'gpt-4o-mini',
      flagship: 'qwen2.5-72b-instruct',
      modelServerUrl,
      configuredModels,
    });
    expect(unpricedModels(overridden)).toEqual(['qwen2.5-72b-instruct']);
    expect(
      unpricedModels(
        overrideRouteModels({ policy, cheap: 'llama3.1-8b', flagship: 'gpt-4o', modelServerUrl, configuredModels }),
      ),
    ).toEqual([]);
  });
});

describe('a worker on the demo routes', () => {
  it('accepts the replaced models, which keep its model-server endpoint and key pair', () => {
    const routes = loadConfig({
      path: join(__dirname, '..', '..', 'local-stack', 'demo', 'routes.yaml'),
      environment: { CASCADE_MODEL_SERVER_URL: modelServerUrl },
    });
    const overridden = overrideRouteModels({
      policy: routes.get('exam-qa'),
      cheap: 'qwen2.5-32b-coder-instruct',
      flagship: 'qwen2.5-72b-instruct',
      modelServerUrl,
      configuredModels,
    });
    expect(routes.allowsCredentialBinding(overridden.cheap.model)).toBe(true);
    expect(routes.allowsCredentialBinding(overridden.flagship.model)).toBe(true);
    const elsewhere = overrideRouteModels({
      policy: routes.get('exam-qa'),
      cheap: 'gpt-4o-mini',
      modelServerUrl: 'http://127.0.0.1:1/v1',
      configuredModels,
    });
    expect(routes.allowsCredentialBinding(elsewhere.cheap.model)).toBe(false);
  });
});
