import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, UnknownRouteError } from './configuration-error';
import { loadConfig, parseConfig } from './load-config';
import { tierDefaults } from './resolve-routes';

const minimal = `
models:
  small: { provider: openai-compatible, model: small-1, baseUrl: "http://127.0.0.1:9/v1" }
  large: { provider: openai, model: gpt-4o, apiKeyEnv: OPENAI_API_KEY }
routes:
  faq:
    cheap: { model: small }
    flagship: { model: large, timeout: 45s, retry: { maximumAttempts: 7 } }
    gate: { kind: refusal }
`;

function expectConfigurationError(text: string, ...fragments: string[]): void {
  let caught: unknown;
  try {
    parseConfig(text, { source: 'routes.yaml', environment: {} });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigurationError);
  expect((caught as ConfigurationError).type).toBe('InvalidConfiguration');
  for (const fragment of fragments) expect((caught as Error).message).toContain(fragment);
}

describe('parseConfig', () => {
  it('resolves named models, durations and layered defaults into a route policy', () => {
    const catalog = parseConfig(minimal);
    const policy = catalog.get('faq');
    expect(policy.cheap.model).toEqual({
      provider: 'openai-compatible',
      model: 'small-1',
      baseUrl: 'http://127.0.0.1:9/v1',
    });
    expect(policy.flagship.timeoutMs).toBe(45_000);
    expect(policy.flagship.retry.maximumAttempts).toBe(7);
    expect(policy.flagship.retry.initialIntervalMs).toBe(tierDefaults.flagship.retry.initialIntervalMs);
    expect(policy.cheap.timeoutMs).toBe(tierDefaults.cheap.timeoutMs);
    expect(policy.cheap.retry).toEqual(tierDefaults.cheap.retry);
    expect(policy.retryAfterCapMs).toBe(30_000);
  });

  it('takes file defaults over built-in defaults, and route values over file defaults', () => {
    const catalog = parseConfig(`
defaults:
  retryAfterCap: 2s
  flagship: { timeout: 10s, retry: { initialInterval: 100ms, maximumAttempts: 3 } }
${minimal}`);
    const policy = catalog.get('faq');
    expect(policy.retryAfterCapMs).toBe(2_000);
    expect(policy.flagship.timeoutMs).toBe(45_000);
    expect(policy.flagship.retry.initialIntervalMs).toBe(100);
    expect(policy.flagship.retry.maximumAttempts).toBe(7);
  });

  it('fills ${NAME} and ${NAME:-default} from the environment', () => {
    const text = minimal.replace('"http://127.0.0.1:9/v1"', '"${MODEL_URL:-http://fallback/v1}"');
    expect(parseConfig(text, { environment: {} }).get('faq').cheap.model.baseUrl).toBe('http://fallback/v1');
    expect(parseConfig(text, { environment: { MODEL_URL: 'http://set/v1' } }).get('faq').cheap.model.baseUrl).toBe(
      'http://set/v1',
    );
  });

  it('names an unset variable without a default and the field that uses it', () => {
    expectConfigurationError(
      minimal.replace('"http://127.0.0.1:9/v1"', '"${MODEL_URL}"'),
      'models.small.baseUrl',
      'MODEL_URL is not set',
    );
  });

  it('names a bad field with its path', () => {
    expectConfigurationError(
      minimal.replace('maximumAttempts: 7', 'maximumAttempts: 0'),
      'routes.faq.flagship.retry.maximumAttempts',
    );
    expectConfigurationError(
      minimal.replace('timeout: 45s', 'timeout: soon'),
      'routes.faq.flagship.timeout',
      'not a duration',
    );
    expectConfigurationError(minimal.replace('provider: openai,', 'provider: openia,'), 'models.large.provider');
  });

  it('names a model reference that does not exist', () => {
    expectConfigurationError(
      minimal.replace('{ model: small }', '{ model: tiny }'),
      'routes.faq.cheap.model',
      'no model named "tiny"',
      'small, large',
    );
  });

  it('requires a base URL for openai-compatible models', () => {
    expectConfigurationError(
      minimal.replace(', baseUrl: "http://127.0.0.1:9/v1"', ''),
      'models.small.baseUrl',
      'required for provider openai-compatible',
    );
  });

  it('rejects unknown keys, so a typo is not silently ignored', () => {
    expectConfigurationError(
      minimal.replace('gate: { kind: refusal }', 'gate: { kind: refusal }\n    retryAfterCapp: 1s'),
      'routes.faq',
      'retryAfterCapp',
    );
  });

  it('rejects an invalid gate pattern and an unknown gate kind', () => {
    expectConfigurationError(
      minimal.replace('{ kind: refusal }', "{ kind: required-pattern, pattern: '([a-z' }"),
      'routes.faq.gate.pattern',
      'not a valid regular expression',
    );
    expectConfigurationError(minimal.replace('{ kind: refusal }', '{ kind: vibes }'), 'routes.faq.gate.kind');
  });

  it('rejects YAML that does not parse, and a document without routes', () => {
    expectConfigurationError('routes: [unclosed', 'routes.yaml', 'not valid YAML');
    expectConfigurationError('models: {}', 'routes');
    expectConfigurationError('routes: {}', 'routes', 'at least one route');
  });

  it('reads a flagship-only route, keeping its cheap tier and gate in the policy', () => {
    const policy = parseConfig(minimal.replace('  faq:\n', '  faq:\n    mode: flagship-only\n')).get('faq');
    expect(policy.mode).toBe('flagship-only');
    expect(policy.flagship.model.model).toBe('gpt-4o');
    expect(policy.cheap.model.model).toBe('small-1');
    expect(policy.gate).toEqual({ kind: 'refusal' });
  });

  it('leaves mode out of a cascade route, written or not, so its policy is what it was before modes', () => {
    expect(parseConfig(minimal).get('faq')).not.toHaveProperty('mode');
    expect(parseConfig(minimal.replace('  faq:\n', '  faq:\n    mode: cascade\n')).get('faq')).not.toHaveProperty(
      'mode',
    );
  });

  it('names a bad mode, and still requires the cheap tier and the gate of a flagship-only route', () => {
    expectConfigurationError(
      minimal.replace('  faq:\n', '  faq:\n    mode: flagship-alone\n'),
      'routes.yaml: routes.faq.mode',
      'expected one of "cascade"|"flagship-only"',
    );
    const flagshipOnly = minimal.replace('  faq:\n', '  faq:\n    mode: flagship-only\n');
    expectConfigurationError(flagshipOnly.replace('    gate: { kind: refusal }\n', ''), 'routes.faq.gate');
    expectConfigurationError(flagshipOnly.replace('    cheap: { model: small }\n', ''), 'routes.faq.cheap');
    expectConfigurationError(
      flagshipOnly.replace('{ model: small }', '{ model: tiny }'),
      'routes.faq.cheap.model',
      'no model named "tiny"',
    );
  });

  it('reads a tier of several models as its model and its fallbacks, and a tier of one as before', () => {
    const catalog = parseConfig(`
models:
  mini: { provider: openai, model: gpt-4o-mini, apiKeyEnv: OPENAI_API_KEY }
  haiku: { provider: anthropic, model: claude-3-5-haiku-latest, apiKeyEnv: ANTHROPIC_API_KEY }
  large: { provider: openai, model: gpt-4o, apiKeyEnv: OPENAI_API_KEY }
routes:
  faq:
    cheap: { models: [mini, haiku] }
    flagship: { models: [large] }
    gate: { kind: refusal }
`);
    const policy = catalog.get('faq');
    expect(policy.cheap.model.model).toBe('gpt-4o-mini');
    expect(policy.cheap.fallbackModels?.map((model) => model.model)).toEqual(['claude-3-5-haiku-latest']);
    expect(policy.flagship).not.toHaveProperty('fallbackModels');
    expect(catalog.models().map((model) => model.model)).toEqual(['gpt-4o-mini', 'claude-3-5-haiku-latest', 'gpt-4o']);
    expect(parseConfig(minimal).get('faq').cheap).not.toHaveProperty('fallbackModels');
  });

  it('asks for one of model and models, and checks each cheap model gives the signals the gate reads', () => {
    expectConfigurationError(
      minimal.replace('cheap: { model: small }', 'cheap: { model: small, models: [small] }'),
      'routes.faq.cheap.models: name either model',
    );
    expectConfigurationError(minimal.replace('cheap: { model: small }', 'cheap: {}'), 'name either model');
    expectConfigurationError(
      minimal.replace('cheap: { model: small }', 'cheap: { models: [small, nowhere] }'),
      'routes.faq.cheap.models.1: no model named "nowhere"',
    );
    expectConfigurationError(
      `
models:
  mini: { provider: openai, model: gpt-4o-mini, logprobs: true, topLogprobs: 5 }
  other: { provider: openai, model: gpt-4.1-mini }
  large: { provider: openai, model: gpt-4o }
routes:
  faq:
    cheap: { models: [mini, other] }
    flagship: { model: large }
    gate: { kind: confidence, aggregation: margin, threshold: 0.5 }
`,
      "so the route's cheap model needs logprobs: true",
      '(models.other.logprobs is unset)',
    );
  });

  it('reads the circuit breaking section over its defaults, and refuses a share of 100%', () => {
    expect(parseConfig(minimal).circuitBreaker).toBeUndefined();
    expect(parseConfig(`circuitBreaker: { failureShare: 25%, cooldown: 1m }\n${minimal}`).circuitBreaker).toEqual({
      failureShare: 0.25,
      windowMs: 30_000,
      minimumCalls: 10,
      cooldownMs: 60_000,
    });
    expect(parseConfig(`circuitBreaker: { shared: true }\n${minimal}`).circuitBreaker).toMatchObject({ shared: true });
    expectConfigurationError(
      `circuitBreaker: { failureShare: 100% }\n${minimal}`,
      'circuitBreaker.failureShare: must be below 1',
    );
    expectConfigurationError(`circuitBreaker: { window: 0 }\n${minimal}`, 'circuitBreaker.window: must be above 0');
  });

  it('refuses an initial retry interval longer than the maximum', () => {
    expectConfigurationError(
      minimal.replace('retry: { maximumAttempts: 7 }', 'retry: { initialInterval: 10s, maximumInterval: 1s }'),
      'routes.faq',
      'initialInterval',
    );
  });
});

describe('RouteCatalog', () => {
  it('reports an unknown route with the known ones', () => {
    const catalog = parseConfig(minimal);
    expect(() => catalog.get('billing')).toThrow(UnknownRouteError);
    expect(() => catalog.get('billing')).toThrow('unknown route "billing"; the configuration has: faq');
  });

  it('allows a policy only the endpoint and key bindings of its own models', () => {
    const catalog = parseConfig(minimal);
    const small = catalog.get('faq').cheap.model;
    expect(catalog.allowsCredentialBinding(small)).toBe(true);
    expect(
      catalog.allowsCredentialBinding({
        ...small,
        model: 'small-2',
        price: { inputPerMillionUsd: 1, outputPerMillionUsd: 1 },
      }),
    ).toBe(true);
    expect(catalog.allowsCredentialBinding({ ...small, baseUrl: 'http://elsewhere/v1' })).toBe(false);
    expect(catalog.allowsCredentialBinding({ ...small, apiKeyEnv: 'AWS_SECRET_ACCESS_KEY' })).toBe(false);
    expect(catalog.allowsCredentialBinding({ ...catalog.get('faq').flagship.model, provider: 'anthropic' })).toBe(
      false,
    );
  });

  it('lists each model once', () => {
    expect(
      parseConfig(minimal)
        .models()
        .map((model) => model.model),
    ).toEqual(['small-1', 'gpt-4o']);
  });
});

describe('loadConfig', () => {
  it('reads the demo routes shipped with the project', () => {
    const catalog = loadConfig({
      path: join(__dirname, '..', 'local-stack', 'demo', 'routes.yaml'),
      environment: { CASCADE_MODEL_SERVER_URL: 'http://127.0.0.1:1234/v1' },
    });
    expect(catalog.names().sort()).toEqual(['exam-qa', 'math', 'support-ticket']);
    expect(catalog.get('math').cheap.model.baseUrl).toBe('http://127.0.0.1:1234/v1');
  });

  it('names a missing file', () => {
    const directory = mkdtempSync(join(tmpdir(), 'cascade-config-'));
    expect(() => loadConfig({ path: join(directory, 'absent.yaml') })).toThrow(
      /cannot read the routes file .*absent\.yaml: no such file/,
    );
  });

  it('names the file of a broken configuration', () => {
    const directory = mkdtempSync(join(tmpdir(), 'cascade-config-'));
    const path = join(directory, 'broken.yaml');
    writeFileSync(path, 'routes:\n  faq: { cheap: 3 }\n');
    expect(() => loadConfig({ path, environment: {} })).toThrow(
      new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: routes\\.faq`),
    );
  });
});
