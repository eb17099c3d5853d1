import { Command } from 'commander';
import { modelServerCommand } from '../local-stack/model-server/model-server-command';
import { registerAnalyzeCommand } from './analyze-command';
import { registerBackfillCommand } from './backfill-command';
import { registerCodecServerCommand } from './codec-server-command';
import { registerEncryptionKeyCommand } from './encryption-key-command';
import { registerLedgerCommand } from './ledger-command';
import { registerBudgetCommand } from './budget-command';
import { registerDriftCommand } from './drift-command';
import { registerReportCommand } from './report-command';
import { registerDemoCommand } from './demo-command';
import { registerDevCommand } from './dev-command';
import { registerRunCommand } from './run-command';
import { registerServeCommand } from './serve-command';
import { registerTuneCommand } from './tune-command';
import { registerWorkerCommand } from './worker-command';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../local-stack/dev-server/package-root';

const { version } = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };

const program = new Command('cascade')
  .description('Durable LLM cascades on Temporal: a cheap model first, a gate, at most one escalation to the flagship.')
  .version(version)
  // Options belong to the command they follow: `backfill status JOB --address A` is the subcommand's.
  .enablePositionalOptions();
registerRunCommand(program);
registerDemoCommand(program);
registerDevCommand(program);
registerWorkerCommand(program);
registerServeCommand(program);
registerAnalyzeCommand(program);
registerTuneCommand(program);
registerBackfillCommand(program);
registerReportCommand(program);
registerDriftCommand(program);
registerCodecServerCommand(program);
registerEncryptionKeyCommand(program);
registerLedgerCommand(program);
registerBudgetCommand(program);
program.addCommand(modelServerCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
