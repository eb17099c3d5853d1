import { parseConfig } from '../../config/load-config';
import { rewriteRouteGate } from './rewrite-route-gate';

const text = `# Routes of a team.
models:
  mini: { provider: openai, model: gpt-4o-mini, apiKeyEnv: OPENAI_API_KEY, logprobs: true }
  large: { provider: openai, model: gpt-4o, apiKeyEnv: OPENAI_API_KEY }
routes:
  # Exam questions: one letter.
  exam:
    cheap: { model: mini }
    flagship: { model: large }
    gate:
      kind: all
      gates:
        - kind: refusal # refusals always escalate
        - kind: confidence
          aggregation: first-token
          threshold: 0.9 # to be tuned
      # after the gate
  graded:
    cheap: { model: mini }
    flagship: { model: large }
    gate: { kind: judge, model: mini, rubric: "Is the answer right?", threshold: 0.5 }
  other:
    cheap: { model: mini }
    flagship: { model: large }
    gate:
      kind: json-schema
      schema: { type: object, required: [category, priority], properties: { category: { enum: [billing, bug] } } }
`;

const isotonic = {
  method: 'isotonic' as const,
  points: [
    [-2, 0.3],
    [-0.5, 0.6],
    [0, 0.95],
  ] as Array<[number, number]>,
};

describe('rewriteRouteGate', () => {
  it('writes the threshold and the calibration into the confidence gate and keeps comments and the other routes', () => {
    const rewritten = rewriteRouteGate({
      text,
      source: 'routes.yaml',
      route: 'exam',
      tuning: { threshold: 0.62, calibration: isotonic },
    });

    const routes = parseConfig(rewritten, { source: 'rewritten', environment: {} });
    const gate = routes.get('exam').gate;
    expect(gate).toMatchObject({
      kind: 'all',
      gates: [
        { kind: 'refusal' },
        { kind: 'confidence', aggregation: 'first-token', threshold: 0.62, calibration: isotonic },
      ],
    });
    expect(routes.get('other').gate).toEqual(parseConfig(text, { environment: {} }).get('other').gate);
    expect(routes.get('graded').gate).toEqual(parseConfig(text, { environment: {} }).get('graded').gate);
    for (const comment of ['# Routes of a team.', '# Exam questions: one letter.', '# refusals always escalate'])
      expect(rewritten).toContain(comment);
    expect(rewritten).toContain('- [ -2, 0.3 ]');
    // Only the gate changed.
    expect(rewritten.slice(0, rewritten.indexOf('    gate:'))).toBe(text.slice(0, text.indexOf('    gate:')));
    expect(rewritten.slice(rewritten.indexOf('  graded:'))).toBe(text.slice(text.indexOf('  graded:')));
  });

  it('keeps a judge model named by its models entry', () => {
    const rewritten = rewriteRouteGate({ text, source: 'routes.yaml', route: 'graded', tuning: { threshold: 0.75 } });
    expect(rewritten).toContain('gate: { kind: judge, model: mini, rubric: "Is the answer right?", threshold: 0.75 }');
    expect(parseConfig(rewritten, { environment: {} }).get('graded').gate).toMatchObject({
      kind: 'judge',
      threshold: 0.75,
      model: { model: 'gpt-4o-mini' },
    });
  });

  it('refuses a route the file does not hold, a gate without one thresholded gate, and a calibration for a judge', () => {
    expect(() =>
      rewriteRouteGate({ text, source: 'routes.yaml', route: 'missing', tuning: { threshold: 0.5 } }),
    ).toThrow('routes.yaml: routes.missing.gate is not in the file');
    expect(() => rewriteRouteGate({ text, source: 'routes.yaml', route: 'other', tuning: { threshold: 0.5 } })).toThrow(
      'must hold exactly one thresholded gate',
    );
    expect(() =>
      rewriteRouteGate({ text: 'routes: [', source: 'bad.yaml', route: 'exam', tuning: { threshold: 0.5 } }),
    ).toThrow('bad.yaml: not valid YAML or JSON');
    expect(() =>
      rewriteRouteGate({
        text,
        source: 'routes.yaml',
        route: 'graded',
        tuning: { threshold: 0.5, calibration: isotonic },
      }),
    ).toThrow(
      'a calibration or a signal threshold can only be written into a confidence gate, but the thresholded gate is judge',
    );
  });
});
