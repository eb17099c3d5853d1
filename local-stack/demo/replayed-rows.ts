import { promptKey } from '../../evaluation/datasets/prompt-key';
import type { RecordedRow } from '../../evaluation/datasets/recorded-row';

/** The recorded rows the demo's `exam-qa` route replays: MMLU and MedMCQA questions put to gpt-4o-mini → gpt-4o (`qwen_oai`). */
export function isExamRow(row: RecordedRow): boolean {
  return row.family === 'qwen_oai' && /\/(mmlu|medmcqa)$/.test(row.dataset);
}

/** The recorded rows the demo's `math` route replays: GSM8K problems put to the Llama family. */
export function isMathRow(row: RecordedRow): boolean {
  return row.family === 'llama' && row.dataset.endsWith('/gsm8k');
}

/** Whether a row shares its id or its prompt with one of `rows`: a tuning set and a replayed sample must not. */
export function sharesIdOrPromptWith(rows: readonly RecordedRow[]): (row: RecordedRow) => boolean {
  const ids = new Set(rows.map((row) => row.id));
  const prompts = new Set(rows.map((row) => promptKey(row.messages)));
  return (row) => ids.has(row.id) || prompts.has(promptKey(row.messages));
}
