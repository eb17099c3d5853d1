/** Environment variables through which the global setup hands the shared server to the tests. */
export const integrationEnvironment = {
  temporalAddress: 'CASCADE_TEST_TEMPORAL_ADDRESS',
  workflowBundle: 'CASCADE_TEST_WORKFLOW_BUNDLE',
  workDirectory: 'CASCADE_TEST_WORK_DIRECTORY',
} as const;

export function requiredEnvironment(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run the integration tests through jest, whose global setup starts the Temporal dev server`,
    );
  return value;
}
