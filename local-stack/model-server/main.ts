/**
 * Runs the local model server:
 * `npx tsx local-stack/model-server/main.ts --port 8787 --models FILE.yaml --dataset FILE.jsonl.gz --latency-scale 0.1`
 */
import { modelServerCommand } from './model-server-command';

export { runModelServerCommand, type ModelServerCommandOptions } from './model-server-command';

if (require.main === module) {
  modelServerCommand()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
