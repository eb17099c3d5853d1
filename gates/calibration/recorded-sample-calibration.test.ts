import { join } from 'node:path';
import { calibrationSchema } from '../../contracts/cascade/gate-spec';
import { loadRecordedDataset } from '../../evaluation/datasets/recorded-dataset';
import { applyCalibration } from './apply-calibration';
import type { CalibrationExample } from './calibration-example';
import { brierScore, expectedCalibrationError } from './calibration-quality';
import { fitCalibration } from './fit-calibration';

/** Real recorded answers shipped with the demo (a sample of the rational-cascades train split). */
const samplePath = join(__dirname, '..', '..', 'local-stack', 'demo', 'data', 'rational-cascades-sample.jsonl.gz');

describe('calibration of gpt-4o-mini on the recorded sample', () => {
  let examples: CalibrationExample[];

  beforeAll(async () => {
    const rows = await loadRecordedDataset(samplePath);
    examples = rows.flatMap((row) => {
      const answer = row.responses['gpt-4o-mini'];
      return answer === undefined || answer.confidence === null
        ? []
        : [{ signal: answer.confidence, correct: answer.correct }];
    });
  });

  it('has labelled answers of both kinds', () => {
    expect(examples.length).toBeGreaterThanOrEqual(50);
    expect(examples.some((example) => example.correct)).toBe(true);
    expect(examples.some((example) => !example.correct)).toBe(true);
  });

  it.each(['isotonic', 'platt'] as const)(
    '%s: rates a confident answer above an unsure one and beats the base rate',
    (method) => {
      const calibration = fitCalibration(method, examples);
      expect(calibrationSchema.parse(calibration)).toEqual(calibration);

      // A near-certain first token (logprob -0.00001, p ~ 1) against a coin flip among the options (logprob -1, p ~ 0.37).
      expect(applyCalibration(calibration, -0.00001)).toBeGreaterThan(applyCalibration(calibration, -1));

      const baseRate = examples.filter((example) => example.correct).length / examples.length;
      const constantBrier = baseRate * (1 - baseRate);
      expect(brierScore(calibration, examples)).toBeLessThan(constantBrier);
      expect(expectedCalibrationError(calibration, examples)).toBeLessThan(0.2);
    },
  );
});
