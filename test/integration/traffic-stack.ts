import type { ScriptedModelSpec } from '../../local-stack/model-server/scripted-model-spec';

/**
 * The traffic-control stack: route `tickets` with a cheap tier of two models (`models: [primary, backup]`)
 * and a flagship tier of two, on scripted models whose markers make the first of each fail
 * (`PRIMARY-DOWN`, `PRIMARY-RATE-LIMITED`, `BACKUP-DOWN`, `FLAGSHIP-DOWN`, ...). With `circuitBreaker`, the
 * file's circuit breaking section as written.
 */
export const cheapPrices = {
  primary: { inputPerMillionUsd: 0.15, outputPerMillionUsd: 0.6 },
  backup: { inputPerMillionUsd: 0.8, outputPerMillionUsd: 4 },
};

export function trafficRoutesYaml(options: { circuitBreaker?: string }): string {
  return `
${options.circuitBreaker ? `circuitBreaker: ${options.circuitBreaker}` : ''}
models:
  primary: { provider: openai, model: primary-model, baseUrl: "\${MODEL_SERVER_URL}", apiKeyEnv: \${API_KEY_ENV}, price: { inputPerMillionUsd: ${cheapPrices.primary.inputPerMillionUsd}, outputPerMillionUsd: ${cheapPrices.primary.outputPerMillionUsd} } }
  backup: { provider: openai-compatible, model: backup-model, baseUrl: "\${MODEL_SERVER_URL}", apiKeyEnv: \${API_KEY_ENV}, price: { inputPerMillionUsd: ${cheapPrices.backup.inputPerMillionUsd}, outputPerMillionUsd: ${cheapPrices.backup.outputPerMillionUsd} } }
  flagship: { provider: openai, model: flagship-model, baseUrl: "\${MODEL_SERVER_URL}", apiKeyEnv: \${API_KEY_ENV}, price: { inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 } }
  flagship-backup: { provider: openai, model: flagship-backup-model, baseUrl: "\${MODEL_SERVER_URL}", apiKeyEnv: \${API_KEY_ENV}, price: { inputPerMillionUsd: 3, outputPerMillionUsd: 15 } }
routes:
  tickets:
    cheap:
      models: [primary, backup]
      timeout: 2s
      retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 200ms, maximumAttempts: 2 }
    flagship:
      models: [flagship, flagship-backup]
      timeout: 5s
      retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 400ms, maximumAttempts: 3 }
    retryAfterCap: 3s
    gate:
      kind: all
      gates:
        - kind: refusal
        - kind: json-schema
          schema: { type: object, required: [category], properties: { category: { enum: [billing, bug, account] } } }
`;
}

export function trafficModels(): ScriptedModelSpec[] {
  return [
    {
      id: 'primary-model',
      rules: [
        {
          whenContains: 'PRIMARY-DOWN',
          respond: { text: '{"category": "billing"}', faults: [{ status: 503, times: 100 }] },
        },
        {
          whenContains: 'PRIMARY-HANGS',
          respond: { text: '{"category": "billing"}', faults: [{ hang: true, times: 100 }] },
        },
        {
          whenContains: 'PRIMARY-RATE-LIMITED',
          respond: { text: '{"category": "billing"}', faults: [{ status: 429, retryAfterSeconds: 60, times: 100 }] },
        },
        {
          whenContains: 'PRIMARY-BAD-REQUEST',
          respond: { text: '{}', faults: [{ status: 400, times: 100, message: 'maximum context length exceeded' }] },
        },
        { whenContains: 'PRIMARY-REFUSES', respond: { text: "I'm sorry, but I can't help with that." } },
      ],
      default: { text: '{"category": "billing"}' },
    },
    {
      id: 'backup-model',
      rules: [{ whenContains: 'BACKUP-DOWN', respond: { text: '{}', faults: [{ status: 502, times: 100 }] } }],
      default: { text: '{"category": "bug"}' },
    },
    {
      id: 'flagship-model',
      rules: [{ whenContains: 'FLAGSHIP-DOWN', respond: { text: '{}', faults: [{ status: 500, times: 100 }] } }],
      default: { text: '{"category": "account"}' },
    },
    { id: 'flagship-backup-model', default: { text: '{"category": "account"}' } },
  ];
}

const tiers = `
    cheap:
      model: cheap
      timeout: 2s
      retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 200ms, maximumAttempts: 2 }
    flagship:
      model: flagship
      timeout: 5s
      retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 400ms, maximumAttempts: 3 }
    gate:
      kind: all
      gates:
        - kind: refusal
        - kind: json-schema
          schema: { type: object, required: [category], properties: { category: { enum: [billing, bug, account] } } }`;

/**
 * Routes on `standardModels()` (priced high, so budgets fill in a few requests): `tickets`, and `routed`,
 * the same with pre-routing (a context window of 200 tokens; rules `legal` on a tag, `stack-traces` on the
 * last user message, `invoices` on the output schema).
 */
export const preRoutingRoutesYaml = `
circuitBreaker: { shared: true }
models:
  cheap: { provider: openai, model: cheap-model, baseUrl: "\${MODEL_SERVER_URL}", apiKeyEnv: \${API_KEY_ENV}, price: { inputPerMillionUsd: 150, outputPerMillionUsd: 600 } }
  flagship: { provider: openai, model: flagship-model, baseUrl: "\${MODEL_SERVER_URL}", apiKeyEnv: \${API_KEY_ENV}, price: { inputPerMillionUsd: 2500, outputPerMillionUsd: 10000 } }
routes:
  tickets:${tiers}
  routed:${tiers}
    preRouting:
      contextWindow: 200
      rules:
        - { name: legal, tags: { team: legal } }
        - { name: stack-traces, lastUserMessage: 'stack\\s+trace', flags: i }
        - { name: invoices, outputSchema: invoice }
`;
