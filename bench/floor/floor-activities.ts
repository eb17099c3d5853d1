/** The floor workflow's one activity: a round trip through the server and the worker, no work. */
export async function noop(): Promise<void> {
  return undefined;
}
