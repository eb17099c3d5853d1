import { CascadeError } from '../../contracts/cascade-error';
import { failureTypes } from '../../contracts/failure-types';

/** Stable `type` of every dataset loading failure. */
export const invalidDatasetType = failureTypes.invalidDataset;

/**
 * A replay dataset is unreadable or holds a bad line. The message names the file, the line number
 * (1-based) and the bad field, e.g. `train.jsonl:3: responses.gpt-4o.usage.input_tokens: ...`.
 */
export class InvalidDatasetError extends CascadeError {
  declare readonly type: typeof invalidDatasetType;
  override readonly name = 'InvalidDatasetError';
  /** The dataset file. */
  readonly path: string;
  /** The 1-based line number of the bad line; `undefined` when the file itself could not be read. */
  readonly line: number | undefined;

  constructor(options: { path: string; line?: number; reason: string; cause?: unknown }) {
    const where = options.line === undefined ? options.path : `${options.path}:${options.line}`;
    super({ type: invalidDatasetType, message: `${where}: ${options.reason}`, cause: options.cause });
    this.path = options.path;
    this.line = options.line;
  }
}
