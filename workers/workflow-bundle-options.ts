/**
 * Where the worker's workflow bundle starts, and the modules each workflow thread loads once and shares
 * across workflows (see `workflows/preloaded-modules.ts`). Every bundle of `workflows/` is built with
 * these options: workers, the integration tests and the benchmarks.
 */
export const workflowBundleOptions = {
  workflowsPath: require.resolve('../workflows'),
  preloadModules: [require.resolve('../workflows/preloaded-modules')],
};
