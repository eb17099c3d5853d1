import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes the cascade sets, so operators can filter in the Web UI, for example
 * `CascadeRoute = "support-faq" AND CascadeOutcome = "escalated"`. They must be registered on the
 * namespace (the dev server registers them at start; see `registrationFlags`).
 */
export const searchAttributes = {
  route: defineSearchAttributeKey('CascadeRoute', SearchAttributeType.KEYWORD),
  outcome: defineSearchAttributeKey('CascadeOutcome', SearchAttributeType.KEYWORD),
  escalationReason: defineSearchAttributeKey('CascadeEscalationReason', SearchAttributeType.KEYWORD),
  costUsd: defineSearchAttributeKey('CascadeCostUsd', SearchAttributeType.DOUBLE),
  flagshipOnlyCostUsd: defineSearchAttributeKey('CascadeFlagshipOnlyCostUsd', SearchAttributeType.DOUBLE),
  customer: defineSearchAttributeKey('CascadeCustomer', SearchAttributeType.KEYWORD),
  /**
   * The judge calls' share of the cost. (SQL visibility stores three Double attributes per namespace;
   * the cost ledger keeps every cost line.)
   */
  judgeCostUsd: defineSearchAttributeKey('CascadeJudgeCostUsd', SearchAttributeType.DOUBLE),
  /** The tier whose answer was returned: `cheap` or `flagship` (absent on a failure). */
  answerTier: defineSearchAttributeKey('CascadeAnswerTier', SearchAttributeType.KEYWORD),
  /** The model whose answer was returned (a fallback's, when one answered); absent on a failure and before it was kept. */
  answerModel: defineSearchAttributeKey('CascadeAnswerModel', SearchAttributeType.KEYWORD),
  /** The back-fill job that started the cascade (set at start by the job). */
  backfillJob: defineSearchAttributeKey('CascadeBackfillJob', SearchAttributeType.KEYWORD),
  /**
   * What a canary of an accepted request found (`agreed`, `disagreed`, `skipped_budget`, `failed`), on its
   * `canaryCheck` workflow, whose `CascadeCostUsd` is the canary's spend.
   */
  canaryResult: defineSearchAttributeKey('CascadeCanaryResult', SearchAttributeType.KEYWORD),
} as const;

const typeNames: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.DOUBLE]: 'Double',
};

/** `Name=Type` pairs, as `temporal server start-dev --search-attribute` and `operator search-attribute create` take them. */
export function searchAttributeDefinitions(): Array<{ name: string; type: string }> {
  return Object.values(searchAttributes).map((key) => ({ name: key.name, type: typeNames[key.type] ?? 'Keyword' }));
}
