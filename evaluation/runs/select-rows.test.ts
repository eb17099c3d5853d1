import { rowOf } from './evaluation.fixture';
import { holdoutPartOf, selectRows } from './select-rows';

const rows = [
  rowOf({ id: 'm1', dataset: 'rational-cascades/mmlu', cheapCorrect: true, flagshipCorrect: true }),
  rowOf({ id: 'q1', dataset: 'rational-cascades/medmcqa', cheapCorrect: true, flagshipCorrect: true }),
  rowOf({ id: 'm2', dataset: 'rational-cascades/mmlu', cheapCorrect: false, flagshipCorrect: true }),
];
const models = ['gpt-4o-mini', 'gpt-4o'];

describe('selectRows', () => {
  it('selects a subset by its full name or its last path segment, then the first rows up to the limit', () => {
    expect(selectRows({ rows, subset: 'mmlu', models }).map((row) => row.id)).toEqual(['m1', 'm2']);
    expect(selectRows({ rows, subset: 'rational-cascades/medmcqa', models }).map((row) => row.id)).toEqual(['q1']);
    expect(selectRows({ rows, limit: 2, models }).map((row) => row.id)).toEqual(['m1', 'q1']);
  });

  it('selects several subsets named with commas, in dataset order, and names an unknown one among them', () => {
    expect(selectRows({ rows, subset: 'medmcqa, mmlu', models }).map((row) => row.id)).toEqual(['m1', 'q1', 'm2']);
    expect(() => selectRows({ rows, subset: 'mmlu,gsm8k', models })).toThrow(
      expect.objectContaining({ type: 'UnknownSubset', message: expect.stringContaining('no subset "gsm8k"') }),
    );
  });

  it('names the available subsets for an unknown one', () => {
    expect(() => selectRows({ rows, subset: 'gsm8k', models })).toThrow(
      expect.objectContaining({
        type: 'UnknownSubset',
        message: expect.stringContaining('rational-cascades/medmcqa (or medmcqa), rational-cascades/mmlu (or mmlu)'),
      }),
    );
  });

  it('names a model no selected row recorded', () => {
    expect(() => selectRows({ rows, models: ['gpt-4o-mini', 'llama3.1-405b'] })).toThrow(
      expect.objectContaining({
        type: 'ModelNotInDataset',
        message: expect.stringContaining('model "llama3.1-405b" has no recorded answer in any of the 3 selected rows'),
      }),
    );
  });

  it('leaves out rows of another model family, before the limit applies', () => {
    const other = rowOf({ id: 'l1', cheapCorrect: true, flagshipCorrect: true });
    const llama = {
      ...other,
      family: 'llama',
      models: ['llama3.1-8b', 'llama3.1-405b'],
      responses: { 'llama3.1-8b': other.responses['gpt-4o-mini']!, 'llama3.1-405b': other.responses['gpt-4o']! },
    };
    const mixed = [llama, ...rows];
    expect(selectRows({ rows: mixed, models, limit: 2 }).map((row) => row.id)).toEqual(['m1', 'q1']);
  });

  it('refuses an empty selection', () => {
    expect(() => selectRows({ rows: [], models })).toThrow(expect.objectContaining({ type: 'EmptySelection' }));
  });
});

describe('the holdout split', () => {
  const many = Array.from({ length: 2000 }, (_, index) =>
    rowOf({ id: `row-${index}`, dataset: 'rational-cascades/mmlu', cheapCorrect: true, flagshipCorrect: true }),
  );
  const idsOf = (part: 'fit' | 'holdout', share = 0.3) =>
    selectRows({ rows: many, holdout: { share, part }, models }).map((row) => row.id);

  it('puts every row in exactly one part', () => {
    const fit = idsOf('fit');
    const holdout = idsOf('holdout');
    expect(fit.filter((id) => holdout.includes(id))).toEqual([]);
    expect(fit.length + holdout.length).toBe(many.length);
  });

  it('is the same on every run and whatever else is selected', () => {
    expect(idsOf('holdout')).toEqual(idsOf('holdout'));
    expect(holdoutPartOf('row-7', 0.3)).toBe(holdoutPartOf('row-7', 0.3));
    const fewer = selectRows({ rows: many.slice(0, 100), holdout: { share: 0.3, part: 'holdout' }, models }).map(
      (row) => row.id,
    );
    expect(fewer).toEqual(idsOf('holdout').filter((id) => many.slice(0, 100).some((row) => row.id === id)));
  });

  it('holds out roughly the share asked for', () => {
    expect(idsOf('holdout', 0.3).length / many.length).toBeGreaterThan(0.26);
    expect(idsOf('holdout', 0.3).length / many.length).toBeLessThan(0.34);
    expect(idsOf('holdout', 0.5).length / many.length).toBeGreaterThan(0.46);
    expect(idsOf('holdout', 0.5).length / many.length).toBeLessThan(0.54);
  });

  it('splits before the limit applies', () => {
    expect(
      selectRows({ rows: many, holdout: { share: 0.3, part: 'fit' }, limit: 5, models }).map((row) => row.id),
    ).toEqual(idsOf('fit').slice(0, 5));
  });

  it('refuses a share outside (0, 1)', () => {
    for (const share of [0, 1, -0.1, Number.NaN]) {
      expect(() => selectRows({ rows, holdout: { share, part: 'fit' }, models })).toThrow(
        expect.objectContaining({
          type: 'InvalidHoldout',
          message: expect.stringContaining('the holdout share must be a fraction strictly between 0 and 1'),
        }),
      );
    }
  });
});
