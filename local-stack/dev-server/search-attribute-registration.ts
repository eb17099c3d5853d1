import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TemporalSetupError, temporalSetupErrorTypes } from './temporal-setup-error';

/** A custom search attribute as the CLI takes it: `--search-attribute Name=Type`. */
export interface SearchAttributeDefinition {
  name: string;
  /** One of Text, Keyword, Int, Double, Bool, Datetime, KeywordList (any case). */
  type: string;
}

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;
type IndexedValueType = temporal.api.enums.v1.IndexedValueType;

const indexedValueTypes: Record<string, IndexedValueType> = {
  text: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  int: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  double: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  bool: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  keywordlist: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** The proto enum value of a type name; throws on an unknown name. */
export function indexedValueTypeOf(typeName: string): IndexedValueType {
  const value = indexedValueTypes[typeName.toLowerCase()];
  if (value === undefined) {
    throw new Error(
      `unknown search attribute type ${JSON.stringify(typeName)}; expected one of Text, Keyword, Int, Double, Bool, Datetime, KeywordList`,
    );
  }
  return value;
}

/** The namespace's custom search attributes, name to type. */
export async function listCustomSearchAttributes(
  connection: Connection,
  namespace: string,
): Promise<Map<string, IndexedValueType>> {
  const response = await connection.operatorService.listSearchAttributes({ namespace });
  return new Map(
    Object.entries(response.customAttributes ?? {}).map(([name, type]) => [name, type as IndexedValueType]),
  );
}

/**
 * Makes sure each definition is registered on the namespace, adding the missing ones, and waits until
 * the server lists them. Throws `SearchAttributeConflict` if one exists with another type (Temporal
 * cannot change a search attribute's type). Returns the names it added.
 */
export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
  definitions: readonly SearchAttributeDefinition[],
): Promise<string[]> {
  const wanted = new Map(definitions.map((definition) => [definition.name, indexedValueTypeOf(definition.type)]));
  const existing = await listCustomSearchAttributes(connection, namespace);
  const conflicts = [...wanted].filter(([name, type]) => existing.has(name) && existing.get(name) !== type);
  if (conflicts.length > 0) {
    const described = conflicts.map(([name]) => `${name} is ${IndexedValueType[existing.get(name) ?? 0]}`).join(', ');
    throw new TemporalSetupError({
      type: temporalSetupErrorTypes.searchAttributeConflict,
      message: `Search attributes of namespace ${namespace} exist with another type (${described}); remove them or use another namespace.`,
    });
  }
  const missing = [...wanted].filter(([name]) => !existing.has(name));
  if (missing.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing) });
  } catch (error) {
    // Another process may have added them between our list and add; the wait below tells.
    if (!/already exists/i.test((error as Error).message)) {
      throw new TemporalSetupError({
        type: temporalSetupErrorTypes.searchAttributeConflict,
        message: `Could not register search attributes ${missing.map(([name]) => name).join(', ')} on namespace ${namespace}: ${(error as Error).message}`,
        cause: error,
      });
    }
  }
  await waitForSearchAttributes(connection, { namespace, names: missing.map(([name]) => name) });
  return missing.map(([name]) => name);
}

/** Polls until every name is listed (registration is eventually consistent on some servers). */
export async function waitForSearchAttributes(
  connection: Connection,
  options: { namespace: string; names: readonly string[]; /** @default 15_000 */ timeoutMs?: number },
): Promise<void> {
  const { namespace, names, timeoutMs = 15_000 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const listed = await listCustomSearchAttributes(connection, namespace);
    const absent = names.filter((name) => !listed.has(name));
    if (absent.length === 0) return;
    if (Date.now() > deadline) {
      throw new TemporalSetupError({
        type: temporalSetupErrorTypes.searchAttributeConflict,
        message: `Search attributes ${absent.join(', ')} are still not listed on namespace ${namespace} after ${timeoutMs / 1000} s.`,
      });
    }
    await sleep(250);
  }
}
