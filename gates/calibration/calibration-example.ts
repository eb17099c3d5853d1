import { CalibrationError } from './calibration-error';

/** One labelled answer: the gate's raw signal for it (an aggregated log-probability) and whether it was right. */
export interface CalibrationExample {
  signal: number;
  correct: boolean;
}

/**
 * Throws a `CalibrationError` naming the first unusable example (a signal that is not a finite number,
 * a label that is not a boolean), or saying how many examples `purpose` needed when there are fewer
 * than `minimum`.
 */
export function assertUsableExamples(
  examples: ReadonlyArray<CalibrationExample>,
  options: {
    /** Fewest examples accepted. */
    minimum: number;
    /** Who needs them, for the message (`'fitPlatt'`). */
    purpose: string;
  },
): void {
  if (!Array.isArray(examples)) {
    throw new CalibrationError({ message: `${options.purpose} needs an array of examples, got ${typeof examples}` });
  }
  if (examples.length < options.minimum) {
    const plural = options.minimum === 1 ? 'example' : 'examples';
    throw new CalibrationError({
      message: `${options.purpose} needs at least ${options.minimum} labelled ${plural}, got ${examples.length}`,
    });
  }
  examples.forEach((example, index) => {
    if (typeof example.signal !== 'number' || !Number.isFinite(example.signal)) {
      throw new CalibrationError({
        message: `${options.purpose}: examples[${index}].signal must be a finite number, got ${String(example.signal)}`,
      });
    }
    if (typeof example.correct !== 'boolean') {
      throw new CalibrationError({
        message: `${options.purpose}: examples[${index}].correct must be a boolean, got ${String(example.correct)}`,
      });
    }
  });
}
