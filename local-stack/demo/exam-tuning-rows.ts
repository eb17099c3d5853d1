import type { RecordedRow } from '../../evaluation/datasets/recorded-row';
import { isExamRow, sharesIdOrPromptWith } from './replayed-rows';

/**
 * The demo's exam tuning set: every exam row of `source` (the rows the `exam-qa` route would replay) that
 * shares neither its id nor its prompt with a row of `replayed`, the sample the demo replays, in `source`'s
 * order. Tuning on these rows and reporting the demo's accuracy on the sample never scores a row the tuning saw.
 */
export function examTuningRows(options: {
  source: readonly RecordedRow[];
  replayed: readonly RecordedRow[];
}): RecordedRow[] {
  const replayed = sharesIdOrPromptWith(options.replayed);
  return options.source.filter((row) => isExamRow(row) && !replayed(row));
}
