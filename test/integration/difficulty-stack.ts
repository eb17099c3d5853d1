import type { ScriptedModelSpec } from '../../local-stack/model-server/scripted-model-spec';

/** Scripted models whose answers carry chosen log-probabilities, and a judge that scores by marker words. */
export const difficultyModels: ScriptedModelSpec[] = [
  {
    id: 'cheap-model',
    rules: [
      { whenContains: 'CONFIDENT', respond: { text: 'B', logprob: -0.01 } },
      { whenContains: 'UNSURE', respond: { text: 'B', logprob: -2 } },
      { whenContains: 'JUDGE-LIKES', respond: { text: 'Paris is the capital of France. JUDGE-LIKES' } },
      { whenContains: 'JUDGE-DISLIKES', respond: { text: 'Lyon, probably. JUDGE-DISLIKES' } },
    ],
    default: { text: 'B', logprob: -0.01 },
  },
  {
    id: 'judge-model',
    rules: [
      { whenContains: 'JUDGE-LIKES', respond: { text: '{"score": 0.9, "reason": "correct and complete"}' } },
      { whenContains: 'JUDGE-DISLIKES', respond: { text: '{"score": 2, "reason": "wrong city"}' } },
    ],
    default: { text: 'no score here' },
  },
  { id: 'flagship-model', default: { text: 'C' } },
];

const model = (id: string, logprobs = true) =>
  `{ provider: openai, model: ${id}, baseUrl: "\${MODEL_SERVER_URL}", apiKeyEnv: \${API_KEY_ENV}, logprobs: ${logprobs}, price: { inputPerMillionUsd: 1, outputPerMillionUsd: 2 } }`;
const fast = `timeout: 2s\n      retry: { initialInterval: 100ms, maximumInterval: 200ms, maximumAttempts: 2 }`;
const route = (name: string, gate: string, cheap = 'cheap') => `
  ${name}:
    cheap:
      model: ${cheap}
      ${fast}
    flagship:
      model: flagship
      ${fast}
    gate: ${gate}`;

/** One route per gate that reads difficulty: confidence (raw and calibrated), no signal, self-consistency, judge, weighted. */
export const difficultyRoutesYaml = `
models:
  cheap: ${model('cheap-model')}
  cheap-without-logprobs: { provider: openai-compatible, model: cheap-model, baseUrl: "\${MODEL_SERVER_URL}", apiKeyEnv: \${API_KEY_ENV}, price: { inputPerMillionUsd: 1, outputPerMillionUsd: 2 } }
  judge: ${model('judge-model')}
  flagship: ${model('flagship-model', false)}
routes:${route('confidence', '{ kind: confidence, threshold: 0.5 }')}${route('calibrated', '{ kind: confidence, threshold: 0.5, calibration: { method: platt, slope: 1, intercept: -1 } }')}${route(
  'no-signal',
  '{ kind: confidence, threshold: 0.5 }',
  'cheap-without-logprobs',
)}${route('consistency', '{ kind: self-consistency, samples: 3, temperature: 0.9, extractor: { kind: choice-letter }, threshold: 0.6 }')}${route(
  'judged',
  '{ kind: judge, model: judge, rubric: "Is the answer correct?", threshold: 0.5 }',
)}${route('weighted', '{ kind: weighted, threshold: 0.7, gates: [{ gate: { kind: confidence, threshold: 0.5 }, weight: 1 }, { gate: { kind: judge, model: judge, rubric: "Is it right?", threshold: 0.5 }, weight: 3 }] }')}
`;
