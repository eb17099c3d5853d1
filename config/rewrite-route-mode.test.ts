import { ConfigurationError } from './configuration-error';
import { parseConfig } from './load-config';
import { rewriteRouteMode } from './rewrite-route-mode';

const text = `# Routes of a team.
models:
  mini: { provider: openai, model: gpt-4o-mini, apiKeyEnv: OPENAI_API_KEY, logprobs: true }
  large: { provider: openai, model: gpt-4o, apiKeyEnv: OPENAI_API_KEY }
routes:
  # Exam questions: one letter.
  exam:
    # The cheap tier, kept for a re-tune.
    cheap: { model: mini }
    flagship: { model: large, timeout: 90s }
    gate:
      kind: confidence # tuned
      aggregation: first-token
      threshold: 0.9
  other:
    cheap: { model: mini }
    flagship: { model: large }
    gate: { kind: refusal }
  inline: { cheap: { model: mini }, flagship: { model: large }, gate: { kind: refusal } }
`;

const parse = (routes: string) => parseConfig(routes, { source: 'rewritten', environment: {} });

describe('rewriteRouteMode', () => {
  it("writes mode: flagship-only as the route's first line and changes nothing else", () => {
    const rewritten = rewriteRouteMode({ text, source: 'routes.yaml', route: 'exam', mode: 'flagship-only' });

    expect(rewritten).toBe(text.replace('  exam:\n', '  exam:\n    mode: flagship-only\n'));
    const routes = parse(rewritten);
    expect(routes.get('exam').mode).toBe('flagship-only');
    // The cheap tier and the gate stay, for a later re-tune.
    expect(routes.get('exam').cheap).toEqual(parse(text).get('exam').cheap);
    expect(routes.get('exam').gate).toEqual(parse(text).get('exam').gate);
    expect(routes.get('other')).toEqual(parse(text).get('other'));
    expect(routes.get('inline')).toEqual(parse(text).get('inline'));
    for (const comment of [
      '# Routes of a team.',
      '# Exam questions: one letter.',
      '# The cheap tier, kept for a re-tune.',
      '# tuned',
    ])
      expect(rewritten).toContain(comment);
  });

  it('switches back to a cascade by removing the key, giving the original file back', () => {
    const flagshipOnly = rewriteRouteMode({ text, source: 'routes.yaml', route: 'exam', mode: 'flagship-only' });
    const back = rewriteRouteMode({ text: flagshipOnly, source: 'routes.yaml', route: 'exam', mode: 'cascade' });
    expect(back).toBe(text);
    expect(parse(back).get('exam')).not.toHaveProperty('mode');
  });

  it('leaves a file that already says so unchanged', () => {
    expect(rewriteRouteMode({ text, source: 'routes.yaml', route: 'exam', mode: 'cascade' })).toBe(text);
    const flagshipOnly = rewriteRouteMode({ text, source: 'routes.yaml', route: 'exam', mode: 'flagship-only' });
    expect(rewriteRouteMode({ text: flagshipOnly, source: 'routes.yaml', route: 'exam', mode: 'flagship-only' })).toBe(
      flagshipOnly,
    );
  });

  it('replaces a mode written by hand in place, in its quotes, and removes it with its line comment', () => {
    const handWritten = text.replace(
      '    flagship: { model: large }\n',
      '    flagship: { model: large }\n    mode: "cascade" # until the tuner says otherwise\n',
    );
    const flagshipOnly = rewriteRouteMode({
      text: handWritten,
      source: 'routes.yaml',
      route: 'other',
      mode: 'flagship-only',
    });
    expect(flagshipOnly).toBe(handWritten.replace('mode: "cascade"', 'mode: "flagship-only"'));
    expect(parse(flagshipOnly).get('other').mode).toBe('flagship-only');
    expect(rewriteRouteMode({ text: handWritten, source: 'routes.yaml', route: 'other', mode: 'cascade' })).toBe(text);
  });

  it('writes into a route written as a flow map, and back', () => {
    const rewritten = rewriteRouteMode({ text, source: 'routes.yaml', route: 'inline', mode: 'flagship-only' });
    expect(rewritten).toBe(text.replace('inline: { cheap:', 'inline: { mode: flagship-only, cheap:'));
    expect(parse(rewritten).get('inline').mode).toBe('flagship-only');
    expect(rewriteRouteMode({ text: rewritten, source: 'routes.yaml', route: 'inline', mode: 'cascade' })).toBe(text);
    const last = text.replace('gate: { kind: refusal } }', 'gate: { kind: refusal }, mode: flagship-only }');
    expect(rewriteRouteMode({ text: last, source: 'routes.yaml', route: 'inline', mode: 'cascade' })).toBe(text);
  });

  it('keeps a JSON routes file JSON', () => {
    const json = JSON.stringify(
      {
        models: {
          mini: { provider: 'openai', model: 'gpt-4o-mini', apiKeyEnv: 'OPENAI_API_KEY' },
          large: { provider: 'openai', model: 'gpt-4o', apiKeyEnv: 'OPENAI_API_KEY' },
        },
        routes: { faq: { cheap: { model: 'mini' }, flagship: { model: 'large' }, gate: { kind: 'refusal' } } },
      },
      null,
      2,
    );
    const rewritten = rewriteRouteMode({ text: json, source: 'routes.json', route: 'faq', mode: 'flagship-only' });
    expect(rewritten).toBe(json.replace('"faq": {\n', '"faq": {\n      "mode": "flagship-only",\n'));
    expect(JSON.parse(rewritten).routes.faq.mode).toBe('flagship-only');
    expect(parse(rewritten).get('faq').mode).toBe('flagship-only');
    expect(rewriteRouteMode({ text: rewritten, source: 'routes.json', route: 'faq', mode: 'cascade' })).toBe(json);
    const last = json.replace(
      '"kind": "refusal"\n      }\n',
      '"kind": "refusal"\n      },\n      "mode": "flagship-only"\n',
    );
    expect(JSON.parse(last).routes.faq.mode).toBe('flagship-only');
    expect(rewriteRouteMode({ text: last, source: 'routes.json', route: 'faq', mode: 'cascade' })).toBe(json);
  });

  it('names a route the file does not hold, with the routes it has, and a file that does not parse', () => {
    const rewrite =
      (route: string, source = text) =>
      () =>
        rewriteRouteMode({ text: source, source: 'routes.yaml', route, mode: 'flagship-only' });
    expect(rewrite('missing')).toThrow(ConfigurationError);
    expect(rewrite('missing')).toThrow(
      'routes.yaml: routes.missing is not in the file (its routes: exam, other, inline)',
    );
    expect(rewrite('exam', 'routes: [')).toThrow('routes.yaml: not valid YAML or JSON');
    expect(() =>
      rewriteRouteMode({ text, source: 'routes.yaml', route: 'exam', mode: 'flagship-alone' as 'cascade' }),
    ).toThrow('routes.yaml: routes.exam.mode: must be one of cascade, flagship-only, got "flagship-alone"');
  });
});
