import type { ModelSpec } from '../../contracts/cascade/route-policy';
import { createAnthropicModelProvider } from './anthropic';
import { MissingApiKeyError } from './missing-api-key-error';
import type { ModelProvider } from './model-provider';
import { createOpenAIModelProvider } from './openai';
import { createOpenAICompatibleModelProvider } from './openai-compatible';

type Environment = Readonly<Record<string, string | undefined>>;

export interface ModelProviderDependencies {
  /** The worker's environment (the worker passes `process.env`); the only source of API keys. */
  environment: Environment;
  /** HTTP client; tests inject one that replays recorded responses. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** The variable read when a spec names none. `openai-compatible` has none: local servers need no key. */
export const conventionalApiKeyEnv = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
} as const;

/** The environment variable that holds a model's API key, or `undefined` when it is sent without one. */
export function apiKeyVariable(spec: ModelSpec): string | undefined {
  if (spec.apiKeyEnv !== undefined) return spec.apiKeyEnv;
  return spec.provider === 'openai-compatible' ? undefined : conventionalApiKeyEnv[spec.provider];
}

/**
 * Builds the adapter a model spec names, reading its API key from `dependencies.environment`.
 * @throws MissingApiKeyError when the key's variable is unset or empty.
 */
export function createModelProvider(spec: ModelSpec, dependencies: ModelProviderDependencies): ModelProvider {
  const { environment, fetch } = dependencies;
  switch (spec.provider) {
    case 'openai-compatible': {
      const variable = spec.apiKeyEnv;
      const apiKey = variable === undefined ? undefined : readApiKey({ spec, variable, environment });
      return createOpenAICompatibleModelProvider({ spec, apiKey, fetch });
    }
    case 'openai': {
      const variable = spec.apiKeyEnv ?? conventionalApiKeyEnv.openai;
      return createOpenAIModelProvider({ spec, apiKey: readApiKey({ spec, variable, environment }), fetch });
    }
    case 'anthropic': {
      const variable = spec.apiKeyEnv ?? conventionalApiKeyEnv.anthropic;
      return createAnthropicModelProvider({ spec, apiKey: readApiKey({ spec, variable, environment }), fetch });
    }
  }
}

/**
 * The API key problems of a set of models, one message each (duplicates removed), so the worker can
 * refuse to start with a clear message instead of failing every activity. Empty when all is well.
 */
export function checkApiKeys(specs: readonly ModelSpec[], environment: Environment): string[] {
  const problems = new Set<string>();
  for (const spec of specs) {
    const variable = apiKeyVariable(spec);
    if (variable === undefined) continue;
    try {
      readApiKey({ spec, variable, environment });
    } catch (error) {
      if (!MissingApiKeyError.isInstance(error)) throw error;
      problems.add(error.message);
    }
  }
  return [...problems];
}

function readApiKey(options: { spec: ModelSpec; variable: string; environment: Environment }): string {
  const apiKey = options.environment[options.variable]?.trim();
  if (!apiKey) {
    throw new MissingApiKeyError({
      variable: options.variable,
      provider: options.spec.provider,
      model: options.spec.model,
    });
  }
  return apiKey;
}
