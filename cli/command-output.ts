import { backfillSourceErrorTypes } from '../operations/backfill/sources/backfill-source-error';
import { failureTypes } from '../contracts/failure-types';

/** Prints a command's report: one JSON object on stdout with `--json`, else the human text. */
export function printReport(options: { json: boolean; report: unknown; text: () => string }): void {
  if (options.json) process.stdout.write(`${JSON.stringify(options.report, null, 2)}\n`);
  else process.stdout.write(`${options.text()}\n`);
}

const badInputTypes = new Set<string>([
  failureTypes.invalidRequest,
  failureTypes.unknownRoute,
  failureTypes.invalidConfiguration,
  failureTypes.missingApiKey,
  failureTypes.invalidDataset,
  failureTypes.invalidGateConfiguration,
  failureTypes.invalidReportOptions,
  failureTypes.invalidEncryptionKeys,
  failureTypes.invalidOptions,
  ...Object.values(backfillSourceErrorTypes),
]);

/**
 * Reports a failed command: `{ "error": { type, message } }` on stdout with `--json`, else a line on
 * stderr. Exit code 2 for bad input or configuration, 1 for anything else.
 */
export function reportFailure(error: unknown, options: { json: boolean }): number {
  const type =
    typeof (error as { type?: unknown })?.type === 'string'
      ? (error as { type: string }).type
      : ((error as Error)?.name ?? 'Error');
  const message = error instanceof Error ? error.message : String(error);
  const details = (error as { details?: unknown })?.details;
  if (options.json)
    process.stdout.write(
      `${JSON.stringify({ error: { type, message, ...(details !== undefined ? { details } : {}) } }, null, 2)}\n`,
    );
  else process.stderr.write(`error (${type}): ${message}\n`);
  return badInputTypes.has(type) ? 2 : 1;
}
