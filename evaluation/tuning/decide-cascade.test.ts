import { lastCertifiedRung } from './certification';
import { certifyExact } from './certify-exact';
import { recordsFromGroups, type RowGroup } from './decision-records.fixture';
import { decideCascade } from './decide-cascade';
import { thresholdLadder } from './threshold-ladder';
import type { TuningObjective } from './tuning-objective';

function decide(groups: readonly RowGroup[], objective: TuningObjective, minimumSaving?: number) {
  const records = recordsFromGroups(groups);
  const ladder = thresholdLadder(records, 'signal');
  const certification = certifyExact({ ladder, objective, confidence: 0.95 });
  return {
    ladder,
    certification,
    decision: decideCascade({ records, ladder, objective, certification, minimumSaving }),
  };
}

const oneLoss: TuningObjective = { kind: 'max-accuracy-loss', points: 1 };

describe('fixed-sequence testing', () => {
  it('stops at the first rung that fails, even when a later one would pass', () => {
    expect(lastCertifiedRung([-0.01, -0.002, 0.003, -0.5])).toBe(1);
    expect(lastCertifiedRung([0.01, -0.5])).toBe(-1);
    expect(lastCertifiedRung([-0.1, -0.1, -0.1])).toBe(2);
  });
});

describe('decideCascade, exact', () => {
  it('pays where the confident rows lose nothing, and names the certified loss', () => {
    // 700 rows: 350 confident ones the cheap model gets right, 350 unsure ones it gets wrong.
    const { decision, ladder } = decide(
      [
        { count: 350, signal: -0.01, cheapCorrect: true, flagshipCorrect: true },
        { count: 350, signal: -2, cheapCorrect: false, flagshipCorrect: true },
      ],
      oneLoss,
    );
    expect(ladder.steps.map((step) => [step.threshold, step.accepted, step.harmed])).toEqual([
      [Infinity, 0, 0],
      [-0.01, 350, 0],
      [-2, 700, 350],
    ]);
    expect(decision.verdict).toBe('pays');
    expect(decision.route).toEqual({ kind: 'cascade', threshold: -0.01 });
    // Zero harmed rows in 700: the Clopper–Pearson bound 1 − 0.05^(1/700).
    expect(decision.certifiedLoss).toBeCloseTo(1 - 0.05 ** (1 / 700), 12);
    // Every row pays the cheap call ($1 per 1k), half also the flagship ($5 per 1k): $6 against $10.
    expect(decision.chosen).toMatchObject({ escalationRate: 0.5, accuracy: 1, accuracyLoss: 0 });
    expect(decision.chosen!.costPer1kUsd).toBeCloseTo(6, 10);
    expect(decision.chosen!.savingShare).toBeCloseTo(0.4, 10);
    expect(decision.explanation[0]).toMatch(
      /^Pays: with 95\.0% confidence the cascade loses at most 0\.43 points against the flagship .*\(exact, distribution-free\), escalating 50\.0% of requests\.$/,
    );
  });

  it('says not enough rows when the same split cannot be certified on 100 rows, and how many would do', () => {
    const { decision } = decide(
      [
        { count: 50, signal: -0.01, cheapCorrect: true, flagshipCorrect: true },
        { count: 50, signal: -2, cheapCorrect: false, flagshipCorrect: true },
      ],
      oneLoss,
    );
    // 1 − 0.05^(1/100) = 2.95% > 1%: nothing but rung 0 is certified.
    expect(decision.verdict).toBe('not-enough-rows');
    expect(decision.route).toEqual({ kind: 'flagship-only' });
    // Zero losses certify 1% from 299 rows on (ln 0.05 / ln 0.99 = 298.1).
    expect(decision.rowsNeeded).toMatchObject({ rows: 299, cascade: { escalationRate: 0.5 } });
    expect(decision.tightest!.loss).toBeCloseTo(1 - 0.05 ** (1 / 100), 12);
    expect(decision.explanation.join(' ')).toContain('About 299 labelled rows like these would certify');
  });

  it('says does not pay when every cascade cheaper than the flagship loses too much', () => {
    // The signal does not tell right from wrong: every rung that saves money harms one row in four.
    const groups: RowGroup[] = Array.from({ length: 20 }, (_, index) => [
      { count: 15, signal: -index / 10, cheapCorrect: true, flagshipCorrect: true },
      { count: 5, signal: -index / 10, cheapCorrect: false, flagshipCorrect: true },
    ]).flat();
    const { decision } = decide(groups, oneLoss);
    expect(decision.verdict).toBe('does-not-pay');
    expect(decision.route).toEqual({ kind: 'flagship-only' });
    expect(decision.explanation[0]).toMatch(/^Does not pay: call the flagship directly\./);
  });

  it('never writes a certified cascade that costs as much as the flagship alone', () => {
    // Certified only at a rung that accepts 5% of rows: below the 10% the cheap tier costs, it cannot pay.
    const { decision, certification } = decide(
      [
        { count: 40, signal: -0.01, cheapCorrect: true, flagshipCorrect: true },
        { count: 760, signal: -2, cheapCorrect: false, flagshipCorrect: true },
      ],
      oneLoss,
    );
    expect(lastCertifiedRung(certification.excess)).toBe(1);
    expect(decision.verdict).toBe('does-not-pay');
    expect(decision.route.kind).toBe('flagship-only');
  });

  it('says the cheap model alone meets the target when accepting everything is certified', () => {
    const { decision, ladder } = decide(
      [
        { count: 200, signal: -0.01, cheapCorrect: true, flagshipCorrect: true },
        { count: 200, signal: -1, cheapCorrect: true, flagshipCorrect: false },
      ],
      oneLoss,
    );
    expect(decision.verdict).toBe('cheap-alone');
    expect(decision.route).toEqual({ kind: 'cascade', threshold: ladder.steps[ladder.steps.length - 1]!.threshold });
  });

  it('says unreachable for an accuracy target not even the flagship meets, and leaves the route alone', () => {
    const { decision } = decide(
      [
        { count: 80, signal: -0.01, cheapCorrect: true, flagshipCorrect: true },
        { count: 20, signal: -2, cheapCorrect: false, flagshipCorrect: false },
      ],
      { kind: 'target-accuracy', accuracy: 0.99 },
    );
    expect(decision.verdict).toBe('unreachable');
    expect(decision.route).toEqual({ kind: 'unchanged' });
    expect(decision.explanation[0]).toContain('The flagship alone is right on 80.0%');
  });

  it('states a retention promise as retention, with the union bound on the flagship accuracy', () => {
    const { decision } = decide(
      [
        { count: 350, signal: -0.01, cheapCorrect: true, flagshipCorrect: true },
        { count: 350, signal: -2, cheapCorrect: false, flagshipCorrect: true },
      ],
      { kind: 'target-quality-retention', retention: 0.99 },
    );
    // Harmed rows' bound at alpha/2, 1 − 0.025^(1/700) = 0.53%, within 1% of the flagship's lower bound 0.025^(1/700) = 99.5%.
    expect(decision.verdict).toBe('pays');
    expect(decision.explanation[0]).toMatch(
      /keeps at least 99\.0% of the flagship's accuracy on traffic like these rows \(exact, distribution-free; a loss of at most 0\.43 points\)/,
    );
  });

  it('escalates rows without a signal at every threshold', () => {
    const { ladder } = decide(
      [
        { count: 10, signal: undefined, cheapCorrect: true, flagshipCorrect: true },
        { count: 10, signal: -0.5, cheapCorrect: true, flagshipCorrect: true },
      ],
      oneLoss,
    );
    expect(ladder.steps.map((step) => step.accepted)).toEqual([0, 10]);
  });

  it('holds back a cascade whose saving is below the minimum', () => {
    const groups: RowGroup[] = [
      { count: 350, signal: -0.01, cheapCorrect: true, flagshipCorrect: true },
      { count: 350, signal: -2, cheapCorrect: false, flagshipCorrect: true },
    ];
    expect(decide(groups, oneLoss, 0.5).decision.verdict).toBe('does-not-pay');
    expect(decide(groups, oneLoss, 0.3).decision.verdict).toBe('pays');
  });
});
