import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { integrationEnvironment, requiredEnvironment } from './integration-environment';

const fixtureDirectory = join(__dirname, '..', 'fixtures', 'histories');
const fixtures = readdirSync(fixtureDirectory).filter((name) => name.endsWith('.json')).sort();
const silent = () => undefined;
const quietLogger = { log: silent, trace: silent, debug: silent, info: silent, warn: silent, error: silent };

function loadHistory(name: string) {
  return historyFromJSON(JSON.parse(readFileSync(join(fixtureDirectory, name), 'utf8')));
}

describe('committed histories replay on the current workflow code', () => {
  it('has a fixture for every path of the workflow', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
    const paths = [
      'accepted',
      'escalated-json-invalid',
      'escalated-rate-limited-flagship',
      'escalated-cheap-timeout',
      'failed-flagship-bad-request',
      'escalated-low-confidence',
      'accepted-self-consistency',
      'escalated-judge-rejected',
      'escalated-weighted',
      'accepted-shadow-flagship',
      'mixed-rows',
      'alert',
    ];
    for (const path of paths) {
      expect(fixtures.some((name) => name.endsWith(`-${path}.json`))).toBe(true);
    }
  });

  it.each(fixtures)('%s replays without nondeterminism', async (name) => {
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: requiredEnvironment(integrationEnvironment.workflowBundle) } }, loadHistory(name)),
    ).resolves.toBeUndefined();
  });

  it('fails on workflow code changed without patched()', async () => {
    const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../fixtures/workflows/reordered-cascade'), logger: quietLogger });
    const escalated = fixtures.find((name) => name.endsWith('-escalated-json-invalid.json'))!;
    await expect(Worker.runReplayHistory({ workflowBundle: bundle }, loadHistory(escalated))).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
