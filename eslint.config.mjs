// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'async_hooks',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

/** What replayed (and pure) code may not touch: the environment, I/O, timers, the clock, randomness. */
const deterministicRules = {
  'no-restricted-globals': [
    'error',
    { name: 'process', message: 'Workflow code must not read the environment.' },
    { name: 'fetch', message: 'Workflow code must not do I/O.' },
    { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
    { name: 'setInterval', message: 'Workflow code must not use timers.' },
    { name: 'require', message: 'Use imports.' },
  ],
  'no-restricted-properties': [
    'error',
    {
      object: 'Date',
      property: 'now',
      message:
        'Use workflowInfo() or the workflow clock, not Date.now(), so decisions do not depend on the wall clock at replay.',
    },
    { object: 'Math', property: 'random', message: 'Workflow code must not draw random numbers.' },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'Workflow code must not read the clock.',
    },
  ],
};

/** The folders of contracts/, as a pattern of one optional path step. */
const contractsFolders = '((cascade|backfill|drift)/)';

const contractsMessage =
  'The contracts in contracts/ import values only from @temporalio/common, zod and contracts/ (types from anywhere).';

/** Value imports only from `allowed` (exact module names or relative patterns); types from anywhere. */
function onlyValueImportsFrom(allowed, message) {
  return {
    'no-restricted-imports': [
      'error',
      { patterns: [{ regex: `^(?!(${allowed.join('|')})$)`, allowTypeImports: true, message }] },
    ],
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code is replayed: it decides only from its input and history. An allow-list, so a value
    // import from a new folder (an alert webhook, a database source) cannot slip in.
    files: ['workflows/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      ...deterministicRules,
      ...onlyValueImportsFrom(
        [
          '@temporalio/workflow',
          '@temporalio/common',
          'zod',
          '\\./[^/]+',
          `\\.\\./contracts/${contractsFolders}?[^/]+`,
        ],
        'Workflow code imports values only from @temporalio/workflow, @temporalio/common, zod, workflows/ and contracts/ (types from anywhere).',
      ),
    },
  },
  {
    // The contracts that workflows share with everything else: plain data and pure functions, in contracts/
    // (shared) and contracts/cascade, contracts/backfill and contracts/drift.
    files: ['contracts/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      ...deterministicRules,
      ...onlyValueImportsFrom(['@temporalio/common', 'zod', `\\./${contractsFolders}?[^/]+`], contractsMessage),
    },
  },
  {
    files: ['contracts/*/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      ...deterministicRules,
      ...onlyValueImportsFrom(
        ['@temporalio/common', 'zod', '\\./[^/]+', `\\.\\./${contractsFolders}?[^/]+`],
        contractsMessage,
      ),
    },
  },
  {
    // Gates and calibration are pure: the same answer always gets the same verdict.
    files: ['gates/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      ...deterministicRules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Pure code must not use Node built-ins.' })),
            ...nodeBuiltins.map((name) => ({
              name: `node:${name}`,
              message: 'Pure code must not use Node built-ins.',
            })),
            { name: '@temporalio/activity', message: 'Pure code does not run as an activity.' },
            { name: '@temporalio/client', message: 'Pure code cannot use the client.' },
            { name: '@temporalio/worker', message: 'Pure code cannot use the worker.' },
            { name: 'pino', message: 'Pure code does not log.' },
          ],
          patterns: [
            {
              group: ['**/activities', '**/activities/*', '**/models/**', '**/config/*', '**/workers/*', '**/client/*'],
              allowTypeImports: true,
              message: 'Pure code imports only the types of activities and adapters.',
            },
          ],
        },
      ],
    },
  },
);
