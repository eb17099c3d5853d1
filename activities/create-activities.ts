import type { Client } from '@temporalio/client';
import type pino from 'pino';
import type { ModelSpec } from '../contracts/cascade/route-policy';
import type { RouteCatalog } from '../config/route-catalog';
import type { CostLedger } from '../operations/ledger/cost-ledger';
import type { CascadeMetrics } from '../operations/metrics/cascade-metrics';
import type { CircuitBreakers } from '../operations/traffic/circuit-breakers';
import type { SchemaRegistry } from '../gates/schema-registry';
import type { ModelProvider } from '../models/providers/model-provider';
import type { CascadeRecordReader } from '../operations/reporting/reported-cascade';
import { createDriftActivities } from '../operations/drift/create-drift-activities';
import { createBackfillActivities, type BackfillActivityDependencies } from './backfill-activities';
import { rowLimitsFor } from '../operations/backfill/sources/row-limits';
import { createCallModel } from './call-model';
import { createEvaluateGate } from './evaluate-gate';
import { createJudgeAnswer } from './judge-answer';
import { createPriceUsage } from './price-usage';
import { createPreRoute } from './pre-route';
import { createCheckBudget } from './check-budget';
import { createRecordOutcome } from './record-outcome';
import { createResolveRoute } from './resolve-route';
import { createCanaryActivities } from './canary-activities';

export interface ActivityDependencies {
  /** Returns the provider of a model (the worker caches one per model). */
  providerFor: (spec: ModelSpec) => ModelProvider;
  /** The worker's routes, for starters that send a route name without its policy. */
  routes: RouteCatalog;
  /** Zod schemas defined in code, for `json-schema` gates that name one. */
  schemas: SchemaRegistry;
  /** Where each finished cascade writes its cost row; none by default. */
  ledger?: CostLedger;
  /** The worker's Prometheus metrics; none by default. */
  metrics?: CascadeMetrics;
  /** The worker's circuit breakers of model endpoints; none by default. */
  circuitBreakers?: CircuitBreakers;
  /** Opens the sources of back-fill jobs. @default the built-in JSONL and PostgreSQL sources */
  openSource?: BackfillActivityDependencies['openSource'];
  /** Reads finished cascades through the worker's client, for the drift checks. */
  readerFor: (client: Client) => CascadeRecordReader;
  /** Where drift alerts are POSTed (the worker's `CASCADE_ALERT_WEBHOOK_URL`); none by default. */
  alertWebhookUrl?: string;
  /** Where drift alerts are logged, at error level. */
  logger: pino.Logger;
  /**
   * Run a policy from workflow input whose model neither the configuration nor the price table prices
   * (its calls cost 0): for an evaluation's own worker measuring accuracy, never for a shared one.
   * @default false
   */
  acceptUnpricedModels?: boolean;
}

/** The cascade's activities, built from their dependencies; the worker registers the result. */
export function createActivities(dependencies: ActivityDependencies) {
  return {
    callModel: createCallModel({
      ...dependencies,
      maximumAnswerBytes: dependencies.routes.limits.maximumAnswerBytes,
      journal: dependencies.ledger?.modelCalls,
    }),
    judgeAnswer: createJudgeAnswer(dependencies),
    evaluateGate: createEvaluateGate(dependencies),
    resolveRoute: createResolveRoute(dependencies),
    priceUsage: createPriceUsage(),
    preRoute: createPreRoute(),
    checkBudget: createCheckBudget(dependencies),
    recordOutcome: createRecordOutcome(dependencies),
    ...createCanaryActivities({ metrics: dependencies.metrics }),
    ...createBackfillActivities({
      openSource: dependencies.openSource,
      rowLimits: rowLimitsFor(dependencies.routes.limits.maximumRequestBytes),
    }),
    ...createDriftActivities({
      readerFor: dependencies.readerFor,
      webhookUrl: dependencies.alertWebhookUrl,
      logger: dependencies.logger,
    }),
  };
}

export type CascadeActivities = ReturnType<typeof createActivities>;
