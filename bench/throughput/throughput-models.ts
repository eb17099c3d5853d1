import type { ScriptedModelSpec } from '../../local-stack/model-server/scripted-model-spec';

/** The two latency profiles of the benchmark. */
export const latencyProfiles = ['zero', 'realistic'] as const;
export type LatencyProfile = (typeof latencyProfiles)[number];

/** Share of cheap answers that fail the JSON gate and escalate. */
export const escalationShare = 0.15;

const modelLatency: Record<
  LatencyProfile,
  { cheap: ScriptedModelSpec['latencyMs']; flagship: ScriptedModelSpec['latencyMs'] }
> = {
  zero: { cheap: 0, flagship: 0 },
  realistic: { cheap: { min: 250, max: 350 }, flagship: { min: 1300, max: 1700 } },
};

/**
 * A cheap and a flagship scripted model per profile. The cheap model answers valid JSON except for a
 * weighted share of prompts, where it answers truncated JSON (the gate fails, the cascade escalates).
 */
export function throughputModels(): ScriptedModelSpec[] {
  return latencyProfiles.flatMap((profile): ScriptedModelSpec[] => [
    {
      id: `cheap-${profile}`,
      latencyMs: modelLatency[profile].cheap,
      default: {
        mix: [
          { weight: 1 - escalationShare, behaviour: { text: '{"category": "billing"}' } },
          { weight: escalationShare, behaviour: { text: '{"category": "billing"' } },
        ],
      },
    },
    {
      id: `flagship-${profile}`,
      latencyMs: modelLatency[profile].flagship,
      default: { text: '{"category": "account"}' },
    },
  ]);
}

/** One route per profile (named after it), JSON-schema gate, generous timeouts so only load shows. */
export function throughputRoutesYaml(options: { modelServerUrl: string; apiKeyVariable: string }): string {
  const model = (role: 'cheap' | 'flagship', profile: LatencyProfile, price: string) =>
    `  ${role}-${profile}: { provider: openai, model: ${role}-${profile}, baseUrl: "${options.modelServerUrl}", apiKeyEnv: ${options.apiKeyVariable}, price: ${price} }`;
  const route = (profile: LatencyProfile) => `  ${profile}:
    cheap:
      model: cheap-${profile}
      timeout: 30s
      retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 1s, maximumAttempts: 3 }
    flagship:
      model: flagship-${profile}
      timeout: 30s
      retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 1s, maximumAttempts: 3 }
    gate:
      kind: json-schema
      schema:
        type: object
        required: [category]
        properties: { category: { enum: [billing, bug, account] } }`;
  const cheapPrice = '{ inputPerMillionUsd: 0.15, outputPerMillionUsd: 0.6 }';
  const flagshipPrice = '{ inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 }';
  return [
    'models:',
    ...latencyProfiles.flatMap((profile) => [
      model('cheap', profile, cheapPrice),
      model('flagship', profile, flagshipPrice),
    ]),
    'routes:',
    ...latencyProfiles.map(route),
    '',
  ].join('\n');
}
