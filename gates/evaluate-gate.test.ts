import { z } from 'zod';
import type { GateSpec } from '../contracts/cascade/gate-spec';
import { gateSignalNeeds, type GateInput } from '../contracts/cascade/gate-signals';
import type { GateVerdict } from '../contracts/cascade/gate-verdict';
import { evaluateGate } from './evaluate-gate';
import { GateConfigurationError } from './gate-configuration-error';
import { SchemaRegistry } from './schema-registry';

const schemas = new SchemaRegistry({ city: z.object({ city: z.string(), population: z.number().int() }) });

/** One gate of every kind, in a tree, so every verdict shape is exercised. */
const everyGate: GateSpec = {
  kind: 'all',
  gates: [
    { kind: 'refusal' },
    { kind: 'uncertainty' },
    { kind: 'minimum-content', minCharacters: 10, minWords: 2 },
    { kind: 'required-pattern', pattern: 'city', flags: 'i' },
    {
      kind: 'any',
      gates: [
        { kind: 'json-schema', schemaName: 'city' },
        { kind: 'json-schema', schema: { type: 'object', required: ['town'] } },
        { kind: 'json-schema' },
      ],
    },
  ],
};

const answers = [
  'Here:\n```json\n{"city": "Oslo", "population": 709037}\n```',
  '{"city": "Oslo", "population": "many"}',
  "I'm sorry, but I don't know the city.",
  '',
  'city {"town": "Bergen"',
];

describe('evaluateGate', () => {
  it.each(answers)('gives the same evaluation twice for %j', (text) => {
    const first = evaluateGate(everyGate, { text }, { schemas });
    const second = evaluateGate(everyGate, { text }, { schemas });
    expect(second).toEqual(first);
  });

  it.each(answers)('returns an evaluation that survives a JSON round trip unchanged, for %j', (text) => {
    const evaluation = evaluateGate(everyGate, { text }, { schemas });
    expect(JSON.parse(JSON.stringify(evaluation))).toStrictEqual(evaluation);
    expect(JSON.parse(JSON.stringify(evaluation.verdict))).toStrictEqual(evaluation.verdict);
  });

  it('writes each detail on one line', () => {
    const evaluation = evaluateGate(everyGate, { text: '{"city":\n"Oslo"}\n\nI am not sure.' }, { schemas });
    const details: string[] = [];
    const collect = (verdict: typeof evaluation.verdict): void => {
      details.push(verdict.detail);
      verdict.children?.forEach(collect);
    };
    collect(evaluation.verdict);
    for (const detail of details) expect(detail).not.toMatch(/\n/);
  });

  it('accepts a good answer through the whole tree and returns its JSON', () => {
    const evaluation = evaluateGate(everyGate, { text: answers[0] ?? '' }, { schemas });
    expect(evaluation.verdict.passed).toBe(true);
    expect(evaluation.json).toEqual({ city: 'Oslo', population: 709037 });
  });

  it('works without a context', () => {
    expect(evaluateGate({ kind: 'json-schema' }, { text: '{}' }).verdict.passed).toBe(true);
  });

  it('throws a GateConfigurationError for a kind it does not know', () => {
    const unknown = { kind: 'sentiment' } as unknown as GateSpec;
    expect(() => evaluateGate(unknown, { text: 'x' })).toThrow(
      new GateConfigurationError({ message: 'Unknown gate kind "sentiment"' }),
    );
  });
});

describe('evaluateGate with gathered signals', () => {
  const judge = (model: string): GateSpec => ({ kind: 'judge', model, rubric: `rubric of ${model}`, threshold: 0.5 });
  /** Three judge gates at different depths, under `all`, `weighted` and `any`, between other signal gates. */
  const tree: GateSpec = {
    kind: 'all',
    gates: [
      { kind: 'refusal' },
      {
        kind: 'weighted',
        gates: [
          { gate: judge('judge-first'), weight: 2 },
          {
            gate: { kind: 'self-consistency', samples: 3, extractor: { kind: 'choice-letter' }, threshold: 0.6 },
            weight: 1,
          },
          { gate: { kind: 'any', gates: [{ kind: 'confidence', threshold: 0.9 }, judge('judge-second')] }, weight: 1 },
        ],
        threshold: 0.5,
      },
      judge('judge-third'),
    ],
  };
  const judgementOf = (spec: { model: unknown }, index: number) => ({
    score: [0.9, 0.2, 0.6][index]!,
    reason: `reason of ${String(spec.model)}`,
  });
  const input: GateInput = {
    text: 'The answer is B',
    logprobs: [{ token: 'B', logprob: -0.01 }],
    samples: ['B', 'C', 'B', 'B'],
    judgements: gateSignalNeeds(tree).judges.map(judgementOf),
  };

  function depthFirst(verdict: GateVerdict): GateVerdict[] {
    return [verdict, ...(verdict.children ?? []).flatMap(depthFirst)];
  }

  it('gives the n-th judge gate of the walk the n-th judgement, in the order gateSignalNeeds lists them', () => {
    expect(gateSignalNeeds(tree).judges.map((spec) => spec.model)).toEqual([
      'judge-first',
      'judge-second',
      'judge-third',
    ]);
    const judges = depthFirst(evaluateGate(tree, input).verdict).filter((verdict) => verdict.gate === 'judge');
    expect(judges.map((verdict) => [verdict.score, verdict.detail])).toEqual([
      [0.9, 'judge judge-first scored 0.9, threshold 0.5: "reason of judge-first"'],
      [0.2, 'judge judge-second scored 0.2, threshold 0.5: "reason of judge-second"'],
      [0.6, 'judge judge-third scored 0.6, threshold 0.5: "reason of judge-third"'],
    ]);
  });

  it('evaluates every kind in the tree, and composites keep children that show their thresholds', () => {
    const { verdict } = evaluateGate(tree, input);
    const [refusal, weighted, third] = verdict.children ?? [];
    expect(refusal).toMatchObject({ gate: 'refusal', passed: true });
    expect('threshold' in refusal!).toBe(false);
    expect(weighted?.children?.map((child) => [child.gate, child.threshold])).toEqual([
      ['judge', 0.5],
      ['self-consistency', 0.6],
      ['any', undefined],
    ]);
    expect(weighted?.children?.[1]).toMatchObject({ passed: true, score: 2 / 3 });
    expect(weighted?.children?.[2]?.children?.map((child) => [child.gate, child.passed, child.threshold])).toEqual([
      ['confidence', true, 0.9],
      ['judge', false, 0.5],
    ]);
    expect(weighted).toMatchObject({ gate: 'weighted', passed: true, threshold: 0.5 });
    expect(third).toMatchObject({ gate: 'judge', passed: true, threshold: 0.5 });
    expect(verdict.passed).toBe(true);
  });

  it('returns an evaluation that survives a JSON round trip unchanged', () => {
    for (const judgements of [
      input.judgements!,
      [
        { score: 0, reason: 'no' },
        { score: 1, reason: 'yes' },
        { score: 0.1, reason: 'meh' },
      ],
    ]) {
      const evaluation = evaluateGate(tree, { ...input, judgements });
      expect(JSON.parse(JSON.stringify(evaluation))).toStrictEqual(evaluation);
    }
  });

  it('throws a GateConfigurationError when a judge gate has no judgement', () => {
    expect(() => evaluateGate(tree, { ...input, judgements: input.judgements!.slice(0, 2) })).toThrow(
      new GateConfigurationError({
        message:
          'judge gate #3 (depth first) has no judgement: the workflow gathers judgements before evaluating (2 given)',
      }),
    );
    expect(() => evaluateGate(judge('solo'), { text: 'x' })).toThrow(
      new GateConfigurationError({
        message:
          'judge gate #1 (depth first) has no judgement: the workflow gathers judgements before evaluating (0 given)',
      }),
    );
  });

  it('throws a GateConfigurationError when given more judgements than the tree has judge gates', () => {
    expect(() =>
      evaluateGate(tree, { ...input, judgements: [...input.judgements!, { score: 1, reason: 'extra' }] }),
    ).toThrow(
      new GateConfigurationError({
        message:
          '4 judgements given for a gate with 3 judge gates: judgements must follow gateSignalNeeds(gate).judges',
      }),
    );
    expect(() => evaluateGate({ kind: 'refusal' }, { text: 'x', judgements: [{ score: 1, reason: 'stray' }] })).toThrow(
      new GateConfigurationError({
        message: '1 judgement given for a gate with 0 judge gates: judgements must follow gateSignalNeeds(gate).judges',
      }),
    );
  });

  it('throws a GateConfigurationError when too few samples were gathered', () => {
    expect(() => evaluateGate(tree, { ...input, samples: ['B'] })).toThrow(GateConfigurationError);
  });

  it('gives the same evaluation twice', () => {
    expect(evaluateGate(tree, input)).toEqual(evaluateGate(tree, input));
  });
});
