import { parseConfig } from './load-config';
import { defaultPolicyLimits } from './policy-limits';

const routesFile = (options: { limits?: string; flagshipRetry?: string; gate?: string } = {}) => `
models:
  mini: { provider: openai, model: gpt-4o-mini, apiKeyEnv: OPENAI_API_KEY }
  large: { provider: openai, model: gpt-4o, apiKeyEnv: OPENAI_API_KEY }
${options.limits ? `limits: ${options.limits}` : ''}
routes:
  tickets:
    cheap: { model: mini }
    flagship: { model: large${options.flagshipRetry ? `, retry: ${options.flagshipRetry}` : ''} }
    gate: ${options.gate ?? '{ kind: refusal }'}
`;
const load = (text: string) => parseConfig(text, { source: 'routes.yaml', environment: {} });

describe('policy limits of a routes file', () => {
  it('holds the defaults when the file sets none', () => {
    expect(load(routesFile()).limits).toEqual(defaultPolicyLimits);
  });

  it('refuses a route above a limit, naming the field and the limit', () => {
    expect(() => load(routesFile({ flagshipRetry: '{ maximumAttempts: 11 }' }))).toThrow(
      'routes.yaml: routes.tickets.flagship.retry.maximumAttempts is 11, above the limit of 10 (maximumAttempts)',
    );
    expect(() =>
      load(
        routesFile({
          gate: '{ kind: self-consistency, samples: 12, threshold: 0.5, extractor: { kind: choice-letter } }',
        }),
      ),
    ).toThrow('routes.tickets.gate.samples is 12, above the limit of 10 (maximumSamples)');
  });

  it('takes higher limits from the file, up to the ceilings', () => {
    const catalog = load(
      routesFile({ limits: '{ maximumAttempts: 20, maximumTimeout: 30m }', flagshipRetry: '{ maximumAttempts: 11 }' }),
    );
    expect(catalog.limits).toMatchObject({ maximumAttempts: 20, maximumTimeoutMs: 1_800_000 });
    expect(catalog.get('tickets').flagship.retry.maximumAttempts).toBe(11);
    expect(() => load(routesFile({ limits: '{ maximumTimeout: 30d }' }))).toThrow('limits.maximumTimeout');
    expect(() => load(routesFile({ limits: '{ maximumSamples: 50 }' }))).toThrow('limits.maximumSamples');
  });
});
