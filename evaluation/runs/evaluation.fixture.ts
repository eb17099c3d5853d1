import type { CascadeResult, TierReport } from '../../contracts/cascade/cascade-result';
import type { GateSpec } from '../../contracts/cascade/gate-spec';
import type { GateVerdict } from '../../contracts/cascade/gate-verdict';
import type { RoutePolicy } from '../../contracts/cascade/route-policy';
import { parseConfig } from '../../config/load-config';
import type { RecordedRow } from '../datasets/recorded-row';

/** A route policy for tests: gpt-4o-mini → gpt-4o on the model server, with the given gate. */
export function policyWithGate(gate: GateSpec): RoutePolicy {
  const yaml = `
models:
  mini: { provider: openai, model: gpt-4o-mini, baseUrl: "http://127.0.0.1:9999/v1", apiKeyEnv: CASCADE_MODEL_SERVER_API_KEY, logprobs: true }
  large: { provider: openai, model: gpt-4o, baseUrl: "http://127.0.0.1:9999/v1", apiKeyEnv: CASCADE_MODEL_SERVER_API_KEY }
routes:
  exam:
    cheap: { model: mini }
    flagship: { model: large }
    gate: ${JSON.stringify(gate)}
`;
  return parseConfig(yaml, { source: 'test' }).get('exam');
}

/** A dataset row answered by gpt-4o-mini and gpt-4o. */
export function rowOf(options: {
  id: string;
  dataset?: string;
  cheapCorrect: boolean;
  flagshipCorrect: boolean;
}): RecordedRow {
  const response = (correct: boolean, cost: number) => ({
    text: 'B',
    correct,
    usage: { input_tokens: 100, output_tokens: 1 },
    cost_usd: cost,
    latency_ms: 300,
    confidence: -0.1,
  });
  return {
    id: options.id,
    dataset: options.dataset ?? 'rational-cascades/mmlu',
    family: 'qwen_oai',
    split: 'train',
    models: ['gpt-4o-mini', 'gpt-4o'],
    messages: [{ role: 'user', content: `Question ${options.id}` }],
    responses: {
      'gpt-4o-mini': response(options.cheapCorrect, 0.00002),
      'gpt-4o': response(options.flagshipCorrect, 0.0003),
    },
  };
}

export function tierReport(options: {
  tier: TierReport['tier'];
  usd: number;
  role?: TierReport['role'];
  status?: TierReport['status'];
}): TierReport {
  return {
    tier: options.tier,
    ...(options.role ? { role: options.role } : {}),
    model: options.tier === 'flagship' ? 'gpt-4o' : 'gpt-4o-mini',
    status: options.status ?? 'answered',
    attempts: 1,
    latencyMs: 10,
    cost: { usd: options.usd, source: 'price-table' },
  };
}

/** A finished cascade of `policy`: accepted with a shadow flagship call, or escalated. */
export function resultOf(options: {
  policy: RoutePolicy;
  outcome: 'accepted' | 'escalated';
  verdict?: GateVerdict;
  judgeUsd?: number;
  shadowStatus?: TierReport['status'];
}): CascadeResult {
  const cheap = tierReport({ tier: 'cheap', usd: 0.00002 });
  const judges = options.judgeUsd ? [tierReport({ tier: 'judge', usd: options.judgeUsd })] : [];
  const flagship = tierReport({ tier: 'flagship', usd: 0.0003 });
  const shadow = tierReport({
    tier: 'flagship',
    usd: options.shadowStatus && options.shadowStatus !== 'answered' ? 0 : 0.00031,
    role: 'shadow',
    status: options.shadowStatus,
  });
  const tiers = options.outcome === 'escalated' ? [cheap, ...judges, flagship] : [cheap, ...judges];
  const judgeUsd = options.judgeUsd ?? 0;
  const flagshipUsd = options.outcome === 'escalated' ? flagship.cost.usd : 0;
  return {
    requestId: 'eval-x-1',
    route: options.policy.route,
    outcome: options.outcome,
    answer: { tier: options.outcome === 'escalated' ? 'flagship' : 'cheap', model: 'gpt-4o-mini', text: 'B' },
    ...(options.outcome === 'escalated' ? { escalationReason: 'low_confidence' } : {}),
    ...(options.verdict ? { verdict: options.verdict } : {}),
    tiers,
    cost: {
      totalUsd: cheap.cost.usd + judgeUsd + flagshipUsd,
      cheapUsd: cheap.cost.usd,
      flagshipUsd,
      judgeUsd,
      flagshipOnlyUsd: 0.0003,
      savingUsd: 0,
    },
    ...(options.outcome === 'accepted' ? { shadow: { model: 'gpt-4o', text: 'B', report: shadow } } : {}),
    tags: {},
    policy: options.policy,
  };
}

export function verdictOf(options: Partial<GateVerdict> & Pick<GateVerdict, 'gate' | 'passed' | 'score'>): GateVerdict {
  return { reasons: [], detail: options.gate, ...options };
}
