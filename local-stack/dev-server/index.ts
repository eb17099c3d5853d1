/** A Temporal server for temporal-cascade: an existing one (TEMPORAL_ADDRESS) or a local dev server. */
export { resolveTemporal, type ResolveTemporalOptions, type ResolvedTemporal } from './resolve-temporal';
export {
  findOrBuildTemporalBinary,
  readTemporalVersion,
  type FindOrBuildTemporalBinaryOptions,
} from './temporal-binary';
export { startDevServer, defaultSqlitePragmas, type DevServer, type StartDevServerOptions } from './dev-server';
export {
  ensureSearchAttributes,
  listCustomSearchAttributes,
  type SearchAttributeDefinition,
} from './search-attribute-registration';
export { resolveCacheDirectory, pinnedTemporalCliVersion } from './cache-directory';
export { TemporalSetupError, temporalSetupErrorTypes, type TemporalSetupErrorType } from './temporal-setup-error';
