import type { RecordedRow } from '../../evaluation/datasets/recorded-row';

/** The recorded rows the demo's `exam-qa` route replays: MMLU and MedMCQA questions put to gpt-4o-mini → gpt-4o (`qwen_oai`). */
export function isExamRow(row: RecordedRow): boolean {
  return row.family === 'qwen_oai' && /\/(mmlu|medmcqa)$/.test(row.dataset);
}

/** The recorded rows the demo's `math` route replays: GSM8K problems put to the Llama family. */
export function isMathRow(row: RecordedRow): boolean {
  return row.family === 'llama' && row.dataset.endsWith('/gsm8k');
}
