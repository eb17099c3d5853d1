import { describeIssues } from '../contracts/cascade/cascade-request';
import {
  routePolicySchema,
  type ModelSpec,
  type RoutePolicy,
  type Tier,
  type TierSpec,
} from '../contracts/cascade/route-policy';
import type { GateSpec } from '../contracts/cascade/gate-spec';
import type { ConfigFile, RetryFileSpec, TierFileSpec } from './config-file-schema';
import { resolvePolicyLimits } from './policy-limits';
import { routePolicyProblems } from './route-policy-problems';
import { ConfigurationError } from './configuration-error';

/** Defaults of each tier where neither the route nor `defaults` says otherwise. */
export const tierDefaults: Record<Tier, { timeoutMs: number; retry: TierSpec['retry'] }> = {
  // The cheap tier gets a small budget: when it stays unavailable, escalating is the better retry.
  cheap: {
    timeoutMs: 20_000,
    retry: { initialIntervalMs: 250, backoffCoefficient: 2, maximumIntervalMs: 2_000, maximumAttempts: 2 },
  },
  flagship: {
    timeoutMs: 60_000,
    retry: { initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 30_000, maximumAttempts: 5 },
  },
};
export const defaultRetryAfterCapMs = 30_000;

/** Turns a parsed routes file into one resolved policy per route. */
export function resolveRoutes(file: ConfigFile, options: { source: string }): RoutePolicy[] {
  return Object.entries(file.routes).map(([route, routeFile]) => {
    const resolveTier = (tier: Tier, tierFile: TierFileSpec): TierSpec => {
      const fileDefaults = file.defaults?.[tier];
      // `models: [a, b]` is the model and its fallbacks; `model: a` a tier of one, as before fallbacks.
      const references = tierFile.models ?? (tierFile.model === undefined ? [] : [tierFile.model]);
      const [model, ...fallbackModels] = references.map((reference, index) =>
        resolveModel(reference, {
          models: file.models ?? {},
          field: tierFile.models ? `routes.${route}.${tier}.models.${index}` : `routes.${route}.${tier}.model`,
          source: options.source,
        }),
      );
      if (model === undefined)
        throw new ConfigurationError({ message: `${options.source}: routes.${route}.${tier}: names no model` });
      return {
        model,
        ...(fallbackModels.length > 0 ? { fallbackModels } : {}),
        timeoutMs: tierFile.timeout ?? fileDefaults?.timeout ?? tierDefaults[tier].timeoutMs,
        retry: resolveRetry([tierFile.retry, fileDefaults?.retry], tierDefaults[tier].retry),
      };
    };
    const policy: RoutePolicy = {
      route,
      // A cascade leaves `mode` out, so its policy (and its workflow input) is what it was before modes.
      ...(routeFile.mode === 'flagship-only' ? { mode: routeFile.mode } : {}),
      cheap: resolveTier('cheap', routeFile.cheap),
      flagship: resolveTier('flagship', routeFile.flagship),
      gate: resolveGateModels(routeFile.gate, (reference, field) =>
        resolveModel(reference, {
          models: file.models ?? {},
          field: `routes.${route}.gate${field}`,
          source: options.source,
        }),
      ),
      retryAfterCapMs: routeFile.retryAfterCap ?? file.defaults?.retryAfterCap ?? defaultRetryAfterCapMs,
      ...(routeFile.preRouting ? { preRouting: routeFile.preRouting } : {}),
      // Only routes that have one name a canary, so every other policy stays as it was.
      ...(routeFile.canary
        ? {
            canary: {
              ...routeFile.canary,
              compare:
                routeFile.canary.compare.kind === 'judge'
                  ? {
                      ...routeFile.canary.compare,
                      model: resolveModel(routeFile.canary.compare.model, {
                        models: file.models ?? {},
                        field: `routes.${route}.canary.compare.model`,
                        source: options.source,
                      }),
                    }
                  : routeFile.canary.compare,
            },
          }
        : {}),
    };
    const checked = routePolicySchema.safeParse(policy);
    if (!checked.success) {
      throw new ConfigurationError({ message: `${options.source}: routes.${route}: ${describeIssues(checked.error)}` });
    }
    const problems = routePolicyProblems({
      policy: checked.data,
      limits: resolvePolicyLimits(file.limits),
      cheapModelNames: (routeFile.cheap.models ?? [routeFile.cheap.model]).map((reference) =>
        typeof reference === 'string' ? reference : undefined,
      ),
    });
    if (problems.length > 0) {
      throw new ConfigurationError({
        message: `${options.source}: ${problems.map((problem) => `routes.${route}.${problem}`).join('; ')}`,
      });
    }
    return checked.data;
  });
}

/** The gate tree with each judge's model name replaced by its spec. */
function resolveGateModels(
  gate: GateSpec,
  resolve: (reference: string | ModelSpec, field: string) => ModelSpec,
  field = '',
): GateSpec {
  switch (gate.kind) {
    case 'judge':
      return { ...gate, model: resolve(gate.model, `${field}.model`) };
    case 'all':
    case 'any':
      return {
        ...gate,
        gates: gate.gates.map((child, index) => resolveGateModels(child, resolve, `${field}.gates.${index}`)),
      };
    case 'weighted':
      return {
        ...gate,
        gates: gate.gates.map((entry, index) => ({
          ...entry,
          gate: resolveGateModels(entry.gate, resolve, `${field}.gates.${index}.gate`),
        })),
      };
    default:
      return gate;
  }
}

function resolveModel(
  reference: string | ModelSpec,
  options: { models: Record<string, ModelSpec>; field: string; source: string },
): ModelSpec {
  if (typeof reference !== 'string') return reference;
  const model = options.models[reference];
  if (!model) {
    const known = Object.keys(options.models);
    throw new ConfigurationError({
      message: `${options.source}: ${options.field}: no model named "${reference}" under "models" (known: ${known.join(', ') || 'none'})`,
    });
  }
  return model;
}

/** The first layer that sets a field wins; the tier's built-in default fills the rest. */
function resolveRetry(layers: Array<RetryFileSpec | undefined>, fallback: TierSpec['retry']): TierSpec['retry'] {
  const pick = <K extends keyof RetryFileSpec>(key: K): RetryFileSpec[K] | undefined =>
    layers.find((layer) => layer?.[key] !== undefined)?.[key];
  return {
    initialIntervalMs: pick('initialInterval') ?? fallback.initialIntervalMs,
    backoffCoefficient: pick('backoffCoefficient') ?? fallback.backoffCoefficient,
    maximumIntervalMs: pick('maximumInterval') ?? fallback.maximumIntervalMs,
    maximumAttempts: pick('maximumAttempts') ?? fallback.maximumAttempts,
  };
}
