// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'async_hooks', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs',
  'fs/promises', 'http', 'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream',
  'timers', 'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];

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
    // Workflow code is replayed: it must decide only from its input and history.
    files: ['workflows/**/*.ts', 'common/**/*.ts', 'gates/**/*.ts', 'calibration/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          ...nodeBuiltins.map((name) => ({ name, message: 'Workflow code must not use Node built-ins.' })),
          ...nodeBuiltins.map((name) => ({ name: `node:${name}`, message: 'Workflow code must not use Node built-ins.' })),
          { name: '@temporalio/activity', message: 'Workflows call activities through proxies.' },
          { name: '@temporalio/client', message: 'Workflows cannot use the client.' },
          { name: '@temporalio/worker', message: 'Workflows cannot use the worker.' },
          { name: 'pino', message: 'Log from workflows with `log` from @temporalio/workflow.' },
        ],
        patterns: [
          { group: ['../activities', '../activities/*', '../providers/*', '../pricing/*', '../config/*', '../workers/*', '../client/*'], allowTypeImports: true, message: 'Workflow code imports only the types of activities and adapters.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'Workflow code must not read the environment.' },
        { name: 'fetch', message: 'Workflow code must not do I/O.' },
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Workflow code must not use timers.' },
        { name: 'require', message: 'Use imports.' },
      ],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'Use workflowInfo() or the workflow clock, not Date.now(), so decisions do not depend on the wall clock at replay.' },
        { object: 'Math', property: 'random', message: 'Workflow code must not draw random numbers.' },
      ],
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Workflow code must not read the clock.' },
      ],
    },
  },
);
