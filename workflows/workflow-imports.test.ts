import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Lints a snippet as if it were a file at `filePath` in the project, with the project's own rules. */
function lint(code: string, filePath: string): string[] {
  const root = join(__dirname, '..');
  const eslint = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');
  try {
    execFileSync(process.execPath, [eslint, '--stdin', '--stdin-filename', filePath, '--format', 'json'], {
      cwd: root,
      input: code,
      encoding: 'utf8',
    });
    return [];
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? '[]';
    return (JSON.parse(output) as Array<{ messages: Array<{ message: string }> }>).flatMap((file) =>
      file.messages.map((entry) => entry.message),
    );
  }
}

const workflowRule =
  'Workflow code imports values only from @temporalio/workflow, @temporalio/common, zod, workflows/ and contracts/ (types from anywhere).';

describe('what workflow code may import', () => {
  it('refuses a value import from any folder outside the allow-list, named or not', () => {
    expect(
      lint(
        "import { postAlert } from '../operations/drift/alert-webhook';\nexport const alert = postAlert;\n",
        'workflows/probe.ts',
      ),
    ).toContainEqual(expect.stringContaining(workflowRule));
    expect(
      lint(
        "import { createPostgresSource } from '../operations/backfill/sources/postgres-source';\nexport const source = createPostgresSource;\n",
        'workflows/probe.ts',
      ),
    ).toContainEqual(expect.stringContaining(workflowRule));
    expect(
      lint("import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n", 'workflows/probe.ts'),
    ).toContainEqual(expect.stringContaining(workflowRule));
  });

  it('allows the workflow SDK, zod, its own folder and the contracts, and types from anywhere', () => {
    const allowed = [
      "import { sleep } from '@temporalio/workflow';",
      "import { z } from 'zod';",
      "import { describeOutcome } from '../contracts/cascade/describe-outcome';",
      "import { failureTypes } from '../contracts/failure-types';",
      "import type { CascadeActivities } from '../activities/create-activities';",
      'export const used = [sleep, z, describeOutcome, failureTypes];',
      'export type Used = CascadeActivities;',
    ].join('\n');
    expect(lint(`${allowed}\n`, 'workflows/probe.ts')).toEqual([]);
  });

  it('keeps the contracts free of anything but zod, @temporalio/common and themselves', () => {
    expect(
      lint(
        "import { priceUsage } from '../models/pricing/price-usage';\nexport const price = priceUsage;\n",
        'contracts/probe.ts',
      ),
    ).toContainEqual(
      expect.stringContaining(
        'The contracts in contracts/ import values only from @temporalio/common, zod and contracts/ (types from anywhere).',
      ),
    );
    expect(
      lint(
        "import { z } from 'zod';\nimport { failureTypes } from './failure-types';\nexport const used = [z, failureTypes];\n",
        'contracts/probe.ts',
      ),
    ).toEqual([]);
  });

  it('still refuses the clock and randomness in workflow code', () => {
    expect(lint('export const now = Date.now();\n', 'workflows/probe.ts')).toContainEqual(
      expect.stringContaining(
        'Use workflowInfo() or the workflow clock, not Date.now(), so decisions do not depend on the wall clock at replay.',
      ),
    );
  });
});
