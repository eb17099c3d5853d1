import { promptKey } from '../../evaluation/datasets/prompt-key';
import type { RecordedRow } from '../../evaluation/datasets/recorded-row';
import { isExamRow } from './replayed-rows';

/**
 * The demo's exam tuning set: every exam row of `source` (the rows the `exam-qa` route would replay) that
 * shares neither its id nor its prompt with a row of `replayed`, the sample the demo replays, in `source`'s
 * order. Tuning on these rows and reporting the demo's accuracy on the sample never scores a row the tuning saw.
 */
export function examTuningRows(options: {
  source: readonly RecordedRow[];
  replayed: readonly RecordedRow[];
}): RecordedRow[] {
  const replayedIds = new Set(options.replayed.map((row) => row.id));
  const replayedPrompts = new Set(options.replayed.map((row) => promptKey(row.messages)));
  return options.source.filter(
    (row) => isExamRow(row) && !replayedIds.has(row.id) && !replayedPrompts.has(promptKey(row.messages)),
  );
}
