import { ConfigurationError } from './configuration-error';
import { parseConfig } from './load-config';

/** A routes file whose `exam` route has `gate`, and whose cheap model `mini` has the extra fields `cheapFields`. */
function routesFile(options: { gate: string; cheapFields: string; inlineCheap?: boolean }): string {
  const cheap = `{ provider: openai, model: gpt-4o-mini, apiKeyEnv: OPENAI_API_KEY${options.cheapFields} }`;
  return `
models:
  mini: ${cheap}
  large: { provider: openai, model: gpt-4o, apiKeyEnv: OPENAI_API_KEY }
routes:
  exam:
    cheap: { model: ${options.inlineCheap ? cheap : 'mini'} }
    flagship: { model: large }
    gate: ${options.gate}
`;
}

function configurationErrorOf(text: string): string {
  try {
    parseConfig(text, { source: 'routes.yaml', environment: {} });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigurationError');
}

const marginGate = '{ kind: confidence, aggregation: margin, signalThreshold: 1.5 }';
const nestedMarginGate =
  '{ kind: all, gates: [{ kind: refusal }, { kind: weighted, threshold: 0.5, gates: [{ gate: { kind: confidence, aggregation: margin, threshold: 0.7 }, weight: 1 }] }] }';

describe('routes whose gate reads alternatives of the answer token', () => {
  it('accepts a margin gate on a cheap model that asks for logprobs and at least 2 alternatives', () => {
    const policy = parseConfig(routesFile({ gate: marginGate, cheapFields: ', logprobs: true, topLogprobs: 5' }), {
      environment: {},
    }).get('exam');
    expect(policy.cheap.model).toMatchObject({ logprobs: true, topLogprobs: 5 });
    expect(policy.gate).toEqual({ kind: 'confidence', aggregation: 'margin', signalThreshold: 1.5 });
  });

  it('refuses a margin gate whose cheap model asks for no alternatives, naming the route, the gate and the model field', () => {
    expect(configurationErrorOf(routesFile({ gate: marginGate, cheapFields: ', logprobs: true' }))).toBe(
      "routes.yaml: routes.exam.gate.aggregation: a margin confidence gate reads the alternatives of the answer token, so the route's cheap model needs logprobs: true and topLogprobs of at least 2 (models.mini.topLogprobs is unset)",
    );
  });

  it('refuses one alternative, no logprobs, and finds a margin gate nested in composites', () => {
    expect(
      configurationErrorOf(routesFile({ gate: marginGate, cheapFields: ', logprobs: true, topLogprobs: 1' })),
    ).toContain('(models.mini.topLogprobs is 1)');
    expect(configurationErrorOf(routesFile({ gate: marginGate, cheapFields: '' }))).toContain(
      '(models.mini.logprobs is unset)',
    );
    const nested = configurationErrorOf(
      routesFile({ gate: nestedMarginGate, cheapFields: ', logprobs: false', inlineCheap: true }),
    );
    expect(nested).toContain(
      'routes.yaml: routes.exam.gate.gates.1.gates.0.gate.aggregation: a margin confidence gate',
    );
    expect(nested).toContain('(routes.exam.cheap.model.logprobs is false)');
  });

  it('leaves other confidence gates alone', () => {
    expect(() =>
      parseConfig(routesFile({ gate: '{ kind: confidence, threshold: 0.8 }', cheapFields: '' }), { environment: {} }),
    ).not.toThrow();
  });

  it('refuses topLogprobs without logprobs: true, and outside 1 to 20', () => {
    expect(configurationErrorOf(routesFile({ gate: '{ kind: refusal }', cheapFields: ', topLogprobs: 3' }))).toContain(
      'models.mini.topLogprobs: requires logprobs: true',
    );
    expect(
      configurationErrorOf(routesFile({ gate: '{ kind: refusal }', cheapFields: ', logprobs: true, topLogprobs: 21' })),
    ).toContain('models.mini.topLogprobs');
    expect(
      configurationErrorOf(routesFile({ gate: '{ kind: refusal }', cheapFields: ', logprobs: true, topLogprobs: 0' })),
    ).toContain('models.mini.topLogprobs');
  });
});

describe('a confidence gate in a routes file takes exactly one of threshold and signalThreshold', () => {
  const cheapFields = ', logprobs: true';

  it('names the field when both are given', () => {
    expect(
      configurationErrorOf(
        routesFile({ gate: '{ kind: confidence, threshold: 0.8, signalThreshold: -0.3 }', cheapFields }),
      ),
    ).toBe('routes.yaml: routes.exam.gate.signalThreshold: give threshold or signalThreshold, not both');
  });

  it('names the field when neither is given, also inside a composite', () => {
    expect(
      configurationErrorOf(
        routesFile({
          gate: '{ kind: all, gates: [{ kind: refusal }, { kind: confidence, aggregation: mean }] }',
          cheapFields,
        }),
      ),
    ).toBe(
      'routes.yaml: routes.exam.gate.gates.1.threshold: give threshold (on the score) or signalThreshold (on the raw signal)',
    );
  });

  it('reads a signal threshold with a calibration', () => {
    const gate = parseConfig(
      routesFile({
        gate: '{ kind: confidence, signalThreshold: -0.36, calibration: { method: isotonic, points: [[-2, 0.3], [0, 0.9]] } }',
        cheapFields,
      }),
      {
        environment: {},
      },
    ).get('exam').gate;
    expect(gate).toMatchObject({ kind: 'confidence', signalThreshold: -0.36 });
    expect(gate).not.toHaveProperty('threshold');
  });
});
