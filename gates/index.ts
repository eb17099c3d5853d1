export { evaluateGate, type GateAnswer, type GateContext, type GateEvaluation, type GateInput } from './evaluate-gate';
export { GateConfigurationError } from './gate-configuration-error';
export { SchemaRegistry, registeredJsonSchema } from './schema-registry';
export { defaultRefusalMarkers } from './refusal';
export { defaultUncertaintyMarkers } from './uncertainty';
export { extractAnswer, defaultChoiceLetters } from './answer-extractors';
export { buildJudgeMessages, parseJudgement, JudgeOutputError } from './judge-prompt';
