import { parseConfig } from '../config/load-config';
import type { RoutePolicy } from '../contracts/cascade/route-policy';
import { suppliedPolicyProblems } from './supplied-policy-problems';

const routes = parseConfig(
  `
models:
  mini: { provider: openai, model: gpt-4o-mini, apiKeyEnv: OPENAI_API_KEY }
  large: { provider: openai, model: gpt-4o, apiKeyEnv: OPENAI_API_KEY }
  negotiated: { provider: openai, model: gpt-4.1, apiKeyEnv: OPENAI_API_KEY, price: { inputPerMillionUsd: 1, outputPerMillionUsd: 2 } }
  house: { provider: openai-compatible, model: house-model, baseUrl: "http://models.internal/v1", apiKeyEnv: HOUSE_KEY }
limits: { maximumAttempts: 6 }
routes:
  tickets:
    cheap: { model: mini }
    flagship: { model: large }
    gate: { kind: refusal }
`,
  { source: 'routes.yaml', environment: {} },
);
const configured = routes.get('tickets');
const problemsOf = (policy: RoutePolicy, route = 'tickets') => suppliedPolicyProblems({ route, policy, routes });

describe('suppliedPolicyProblems', () => {
  it("accepts the worker's own policy, and a variant with another configured model or a tuned gate", () => {
    expect(problemsOf(configured)).toEqual([]);
    const negotiated = routes.declaredModels.find((model) => model.model === 'gpt-4.1')!;
    expect(problemsOf({ ...configured, cheap: { ...configured.cheap, model: negotiated } })).toEqual([]);
    expect(problemsOf({ ...configured, gate: { kind: 'minimum-content', minCharacters: 5 } })).toEqual([]);
  });

  it('accepts a model the configuration lacks when the price table prices it', () => {
    const other = { provider: 'openai' as const, model: 'gpt-4.1-mini', apiKeyEnv: 'OPENAI_API_KEY' };
    expect(problemsOf({ ...configured, cheap: { ...configured.cheap, model: other } })).toEqual([]);
  });

  it.each([
    [
      'unbounded retries',
      {
        ...configured,
        flagship: { ...configured.flagship, retry: { ...configured.flagship.retry, maximumAttempts: 37 } },
      },
      'flagship.retry.maximumAttempts is 37, above the limit of 6 (maximumAttempts)',
    ],
    [
      "a timeout past Node's timers",
      { ...configured, cheap: { ...configured.cheap, timeoutMs: 2 ** 31 } },
      `cheap.timeoutMs is ${2 ** 31}, above the limit of 600000 (maximumTimeoutMs)`,
    ],
    [
      'twenty self-consistency samples',
      { ...configured, gate: { kind: 'self-consistency', samples: 20, threshold: 0.6 } },
      'gate.samples is 20, above the limit of 10 (maximumSamples)',
    ],
    [
      'zero prices',
      {
        ...configured,
        cheap: {
          ...configured.cheap,
          model: { ...configured.cheap.model, price: { inputPerMillionUsd: 0, outputPerMillionUsd: 0 } },
        },
      },
      'cheap.model: gpt-4o-mini must be priced as this worker\'s configuration prices it ({}), not {"price":{"inputPerMillionUsd":0,"outputPerMillionUsd":0}}',
    ],
    [
      'the flagship billed at the cheap price table entry',
      {
        ...configured,
        cheap: { ...configured.cheap, model: { ...configured.flagship.model, priceModel: 'gpt-4o-mini' } },
      },
      'cheap.model: gpt-4o must be priced as this worker\'s configuration prices it ({}), not {"priceModel":"gpt-4o-mini"}',
    ],
    [
      'a model no one can price',
      {
        ...configured,
        cheap: {
          ...configured.cheap,
          model: { provider: 'openai', model: 'no-such-model', apiKeyEnv: 'OPENAI_API_KEY' },
        },
      },
      "cheap.model: no-such-model is neither in this worker's configuration nor in the price table",
    ],
    [
      "the worker's key sent elsewhere",
      {
        ...configured,
        cheap: {
          ...configured.cheap,
          model: { ...configured.cheap.model, provider: 'openai-compatible', baseUrl: 'https://attacker.example/v1' },
        },
      },
      'cheap.model: provider openai-compatible at https://attacker.example/v1 with key variable OPENAI_API_KEY is not in this worker',
    ],
    [
      'a pattern that would backtrack',
      { ...configured, gate: { kind: 'required-pattern', pattern: '^(?=a)(.+)+Z$' } },
      'gate',
    ],
  ] as Array<[string, RoutePolicy, string]>)('refuses %s, naming the field', (_label, policy, fragment) => {
    expect(problemsOf(policy).join('\n')).toContain(fragment);
  });

  it('refuses an endpoint that only a model no route uses names: the worker checked no key for it', () => {
    const house = routes.declaredModels.find((model) => model.model === 'house-model')!;
    expect(problemsOf({ ...configured, cheap: { ...configured.cheap, model: house } }).join('\n')).toContain(
      'cheap.model: provider openai-compatible at http://models.internal/v1 with key variable HOUSE_KEY is not in this worker',
    );
  });

  it("runs a model nothing prices only on an evaluation's own worker, which says so", () => {
    const unpriced = {
      ...configured,
      cheap: {
        ...configured.cheap,
        model: { provider: 'openai' as const, model: 'no-such-model', apiKeyEnv: 'OPENAI_API_KEY' },
      },
    };
    expect(suppliedPolicyProblems({ route: 'tickets', policy: unpriced, routes, acceptUnpricedModels: true })).toEqual(
      [],
    );
    expect(problemsOf(unpriced)).toHaveLength(1);
  });

  it('refuses a policy for another route than the request names', () => {
    expect(problemsOf(configured, 'billing')).toContain(
      'route: the policy is for "tickets", the request names "billing"',
    );
  });
});
