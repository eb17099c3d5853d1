import { createJsonlRequestSource } from './jsonl-source';
import { createPostgresRequestSource } from './postgres-source';
import type { RequestSource } from './request-source';
import { defaultRowLimits, type RowLimits } from './row-limits';
import type { SourceDescriptor } from './source-descriptor';

/**
 * Opens the source a descriptor names, in the process that reads it (an activity). Secrets come from
 * that process's environment, never from the descriptor: a PostgreSQL password from PGPASSWORD or
 * ~/.pgpass. The caller closes the source.
 *
 * A new kind of source adds a variant to `sourceDescriptorSchema` and a case here.
 */
export function openRequestSource(descriptor: SourceDescriptor, limits: RowLimits = defaultRowLimits): RequestSource {
  switch (descriptor.kind) {
    case 'jsonl':
      return createJsonlRequestSource({ path: descriptor.path, limits });
    case 'postgres':
      return createPostgresRequestSource({ connectionString: descriptor.url, table: descriptor.table, limits });
  }
}
