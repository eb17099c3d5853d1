import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModelServer } from './model-server';
import { InvalidModelServerOptionsError } from './model-server-options';
import { InvalidModelSpecError, parseScriptedModelSpecs } from './scripted-model-spec';
import { loadScriptedModelsFile } from './scripted-models-file';

function messageOf(input: unknown): string {
  try {
    parseScriptedModelSpecs(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidModelSpecError);
    expect((error as InvalidModelSpecError).type).toBe('InvalidModelSpec');
    return (error as Error).message;
  }
  throw new Error('expected the spec to be rejected');
}

describe('scripted model spec validation', () => {
  it('accepts every kind of behaviour and fault', () => {
    const specs = parseScriptedModelSpecs([
      {
        id: 'full',
        latencyMs: { min: 1, max: 5 },
        rules: [{ whenContains: 'x', respond: { echo: true, latencyMs: 3 } }],
        default: {
          mix: [
            {
              weight: 2,
              behaviour: {
                text: 'a',
                logprob: -1,
                faults: [
                  { status: 429, retryAfterSeconds: 1, times: 2 },
                  { hang: true, times: 1 },
                ],
              },
            },
            {
              weight: 1,
              behaviour: {
                mix: [{ weight: 1, behaviour: { text: 'b', faults: [{ status: 503, times: 1, message: 'down' }] } }],
              },
            },
          ],
        },
      },
    ]);
    expect(specs[0]!.id).toBe('full');
  });

  it('names the bad field, however deep', () => {
    expect(messageOf([{ id: 'a', default: { mix: [{ weight: 1, behaviour: { text: 3 } }] } }])).toBe(
      'models.0.default.mix.0.behaviour.text: Invalid input: expected string, received number',
    );
    expect(messageOf([{ id: 'a', default: { text: 'x', faults: [{ status: 418, times: 1 }] } }])).toMatch(
      /^models\.0\.default\.faults\.0\.status: /,
    );
    expect(messageOf([{ id: 'a', default: { text: 'x', faults: [{ hang: true, times: 0 }] } }])).toMatch(
      /^models\.0\.default\.faults\.0\.times: /,
    );
    expect(messageOf([{ id: 'a', default: { text: 'x', logprob: 0.5 } }])).toMatch(/^models\.0\.default\.logprob: /);
    expect(messageOf([{ id: 'a', default: { mix: [{ weight: 0, behaviour: { text: 'x' } }] } }])).toMatch(
      /^models\.0\.default\.mix\.0\.weight: /,
    );
    expect(
      messageOf([{ id: 'a', rules: [{ whenContains: 'x', respond: { echo: false } }], default: { text: 'x' } }]),
    ).toMatch(/^models\.0\.rules\.0\.respond\.echo: /);
    expect(messageOf([{ id: 'a', latencyMs: { min: 5, max: 2 }, default: { text: 'x' } }])).toBe(
      'models.0.latencyMs.max: must be at least min',
    );
    expect(messageOf([{ id: 'a', default: { text: 'x', tone: 'polite' } }])).toBe(
      'models.0.default: Unrecognized key: "tone"',
    );
    expect(messageOf([{ default: { text: 'x' } }])).toMatch(/^models\.0\.id: /);
  });

  it('rejects two models of the same id', () => {
    expect(
      messageOf([
        { id: 'twin', default: { text: 'a' } },
        { id: 'twin', default: { echo: true } },
      ]),
    ).toBe('models.1.id: "twin" is already the id of another model');
  });

  it('makes createModelServer throw at once', () => {
    expect(() => createModelServer({ models: [{ id: 'a', default: { text: 'x', logprob: 2 } }] })).toThrow(
      InvalidModelSpecError,
    );
    expect(() => createModelServer({ latencyScale: -1 })).toThrow(
      new InvalidModelServerOptionsError({
        message: 'model server options: latencyScale: Too small: expected number to be >=0',
      }),
    );
  });
});

describe('loadScriptedModelsFile', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'scripted-models-'));
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('loads the shipped example', async () => {
    const specs = await loadScriptedModelsFile(join(__dirname, 'example-models.yaml'));
    expect(specs.map((spec) => spec.id)).toEqual(['cheap-model', 'flagship-model', 'echo-model']);
  });

  it('accepts a bare list and names the file and the field of a bad spec', async () => {
    const good = join(directory, 'bare.yaml');
    writeFileSync(good, '- id: one\n  default: { text: hi }\n');
    expect((await loadScriptedModelsFile(good))[0]!.id).toBe('one');

    const bad = join(directory, 'bad.yaml');
    writeFileSync(bad, 'models:\n  - id: one\n    default: { text: hi, faults: [{ status: 429 }] }\n');
    await expect(loadScriptedModelsFile(bad)).rejects.toThrow(`${bad}: models.0.default.faults.0.times: `);
  });

  it('reports a missing file and bad YAML', async () => {
    await expect(loadScriptedModelsFile(join(directory, 'absent.yaml'))).rejects.toThrow('absent.yaml: no such file');
    const broken = join(directory, 'broken.yaml');
    writeFileSync(broken, 'models: [\n');
    await expect(loadScriptedModelsFile(broken)).rejects.toThrow('broken.yaml: not valid YAML or JSON');
  });
});
