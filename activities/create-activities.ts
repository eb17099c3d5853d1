import type { ModelSpec } from '../common/route-policy';
import type { RouteCatalog } from '../config/route-catalog';
import type { SchemaRegistry } from '../gates/schema-registry';
import type { ModelProvider } from '../providers/model-provider';
import { createCallModel } from './call-model';
import { createEvaluateGate } from './evaluate-gate';
import { createJudgeAnswer } from './judge-answer';
import { createPriceUsage } from './price-usage';
import { createResolveRoute } from './resolve-route';

export interface ActivityDependencies {
  /** Returns the provider of a model (the worker caches one per model). */
  providerFor: (spec: ModelSpec) => ModelProvider;
  /** The worker's routes, for starters that send a route name without its policy. */
  routes: RouteCatalog;
  /** Zod schemas defined in code, for `json-schema` gates that name one. */
  schemas: SchemaRegistry;
}

/** The cascade's activities, built from their dependencies; the worker registers the result. */
export function createActivities(dependencies: ActivityDependencies) {
  return {
    callModel: createCallModel(dependencies),
    judgeAnswer: createJudgeAnswer(dependencies),
    evaluateGate: createEvaluateGate(dependencies),
    resolveRoute: createResolveRoute(dependencies),
    priceUsage: createPriceUsage(),
  };
}

export type CascadeActivities = ReturnType<typeof createActivities>;
