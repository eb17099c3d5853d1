import { bundleWorkflowCode } from '@temporalio/worker';

const silent = () => undefined;
// The bundler's progress lines would mix with a benchmark's report.
const quietLogger = { log: silent, trace: silent, debug: silent, info: silent, warn: silent, error: silent };

/** The bundled code of the workflows module at `workflowsPath` (a resolved path), built without the bundler's log. */
export async function bundleWorkflowsQuietly(workflowsPath: string): Promise<string> {
  return (await bundleWorkflowCode({ workflowsPath, logger: quietLogger })).code;
}
