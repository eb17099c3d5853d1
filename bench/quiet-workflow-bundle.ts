import { bundleWorkflowCode } from '@temporalio/worker';

const silent = () => undefined;
// The bundler's progress lines would mix with a benchmark's report.
const quietLogger = { log: silent, trace: silent, debug: silent, info: silent, warn: silent, error: silent };

/**
 * The bundled code of the workflows module at `workflowsPath` (a resolved path), with `preloadModules`
 * shared across workflows, built without the bundler's log.
 */
export async function bundleWorkflowsQuietly(options: {
  workflowsPath: string;
  preloadModules?: string[];
}): Promise<string> {
  return (await bundleWorkflowCode({ ...options, logger: quietLogger })).code;
}
