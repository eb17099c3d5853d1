import type { CascadeRequest } from '../../contracts/cascade/cascade-request';
import type { ScriptedModelSpec } from '../../local-stack/model-server/scripted-model-spec';

/** Scripted models slow enough that hundreds of calls are in flight when a process is killed. */
export function chaosModels(): ScriptedModelSpec[] {
  return [
    {
      id: 'cheap-model',
      latencyMs: { min: 100, max: 900 },
      rules: [{ whenContains: 'REFUSE', respond: { text: "I'm sorry, but I can't help with that." } }],
      default: { text: '{"category": "billing"}' },
    },
    {
      id: 'flagship-model',
      latencyMs: { min: 300, max: 1500 },
      default: { text: '{"category": "account"}' },
    },
  ];
}

export function chaosRoutesYaml(options: { modelServerUrl: string; apiKeyVariable: string }): string {
  const model = (name: string, input: number, output: number) =>
    `{ provider: openai, model: ${name}, baseUrl: "${options.modelServerUrl}", apiKeyEnv: ${options.apiKeyVariable}, price: { inputPerMillionUsd: ${input}, outputPerMillionUsd: ${output} } }`;
  return `
models:
  cheap: ${model('cheap-model', 0.15, 0.6)}
  flagship: ${model('flagship-model', 2.5, 10)}
routes:
  tickets:
    cheap:
      model: cheap
      timeout: 3s
      retry: { initialInterval: 200ms, backoffCoefficient: 2, maximumInterval: 1s, maximumAttempts: 3 }
    flagship:
      model: flagship
      timeout: 6s
      retry: { initialInterval: 200ms, backoffCoefficient: 2, maximumInterval: 2s, maximumAttempts: 6 }
    gate:
      kind: all
      gates:
        - kind: refusal
        - kind: json-schema
          schema: { type: object, required: [category], properties: { category: { enum: [billing, bug, account] } } }
`;
}

/** One request of the chaos run: a prompt of its own (so the model server's log tells calls apart); a quarter escalate. */
export function chaosTicket(run: string, index: number): CascadeRequest & { requestId: string } {
  return {
    requestId: `chaos-${run}-${index}`,
    route: 'tickets',
    messages: [
      {
        role: 'user',
        content: `Ticket ${run}/${index}${index % 4 === 0 ? ' REFUSE' : ''}: I was charged twice for one order.`,
      },
    ],
    tags: { customer: `customer-${index % 7}` },
  };
}
