import type { ChatMessage } from '../../contracts/cascade/chat-message';
import type { PreRoutingDecision, PreRoutingRule } from '../../contracts/cascade/pre-routing';
import { tierModels, type RoutePolicy } from '../../contracts/cascade/route-policy';
import { GateConfigurationError } from '../../gates/gate-configuration-error';
import { compileLinearRegularExpression, type LinearRegularExpression } from '../../gates/linear-regular-expression';
import { contextWindowOf } from '../../models/pricing/context-window';
import { estimateTokens } from '../../models/pricing/token-estimate';

/** What pre-routing reads of a request. */
export interface PreRoutingRequest {
  messages: ChatMessage[];
  tags: Record<string, string>;
  outputSchema?: Record<string, unknown>;
}

/** Tokens each message costs beyond its text (role and separators), as OpenAI counts chat input. */
const tokensPerMessage = 4;

/** Compiled rule patterns, kept while there are not too many (a policy from workflow input brings its own). */
const compiledPatterns = new Map<string, LinearRegularExpression>();
const maximumCompiledPatterns = 256;

/**
 * Decides whether a request goes straight to the flagship under its route's pre-routing: the context
 * window first, then each rule in order; the first that applies decides. Pure but for the tokenizer, so
 * it runs in the `preRoute` local activity, whose result the history records.
 */
export function decidePreRouting(policy: RoutePolicy, request: PreRoutingRequest): PreRoutingDecision {
  const spec = policy.preRouting;
  if (!spec) return { direct: false };
  if (spec.contextWindow !== undefined) {
    const window = contextWindowTokens(policy);
    if (window !== undefined) {
      const inputTokens = request.messages.reduce(
        (total, message) => total + tokensPerMessage + estimateTokens(message.content),
        0,
      );
      const outputTokens = Math.max(0, ...tierModels(policy.cheap).map((model) => model.maxOutputTokens ?? 0));
      if (inputTokens + outputTokens > window)
        return {
          direct: true,
          reason: 'context_window',
          detail: `${inputTokens} input tokens${outputTokens > 0 ? ` + ${outputTokens} output` : ''} > the cheap tier's context window of ${window}`,
        };
    }
  }
  for (const rule of spec.rules ?? []) {
    const matched = ruleMatch(rule, request, policy.route);
    if (matched) return { direct: true, reason: 'rule', rule: rule.name, detail: matched };
  }
  return { direct: false };
}

/**
 * The context window pre-routing holds a request to: the number it names, or the smallest window of the
 * cheap tier's models (any of them may answer); `undefined` when one of them has no known window.
 */
export function contextWindowTokens(policy: RoutePolicy): number | undefined {
  const setting = policy.preRouting?.contextWindow;
  if (setting === undefined) return undefined;
  if (setting !== true) return setting;
  const windows = tierModels(policy.cheap).map(contextWindowOf);
  if (windows.some((window) => window === undefined)) return undefined;
  return Math.min(...(windows as number[]));
}

/**
 * What is wrong with a route's pre-routing, as a worker checks at start and for a policy from workflow
 * input: a pattern the linear-time engine refuses, or a context window no one knows. Each problem names
 * its field below the route.
 */
export function preRoutingProblems(policy: RoutePolicy): string[] {
  const spec = policy.preRouting;
  if (!spec) return [];
  const problems: string[] = [];
  if (spec.contextWindow === true && contextWindowTokens(policy) === undefined) {
    const unknown = tierModels(policy.cheap).filter((model) => contextWindowOf(model) === undefined);
    problems.push(
      `preRouting.contextWindow: the context window of ${unknown.map((model) => model.model).join(', ')} is unknown (not in the price table): set the model's contextWindowTokens, or contextWindow to a number of tokens`,
    );
  }
  (spec.rules ?? []).forEach((rule, index) => {
    if (rule.lastUserMessage === undefined) return;
    try {
      patternOf(rule);
    } catch (error) {
      if (!GateConfigurationError.isInstance(error)) throw error;
      problems.push(`preRouting.rules.${index}.lastUserMessage: ${error.message}`);
    }
  });
  return problems;
}

/** Why the rule applies (each condition it names holds), or `undefined`. */
function ruleMatch(rule: PreRoutingRule, request: PreRoutingRequest, route: string): string | undefined {
  const held: string[] = [];
  if (rule.tags) {
    for (const [name, value] of Object.entries(rule.tags)) if (request.tags[name] !== value) return undefined;
    held.push(
      `tags ${Object.entries(rule.tags)
        .map(([name, value]) => `${name}=${value}`)
        .join(', ')}`,
    );
  }
  if (rule.lastUserMessage !== undefined) {
    const last = [...request.messages].reverse().find((message) => message.role === 'user');
    if (!last || !patternOf(rule, route).test(last.content)) return undefined;
    held.push(`the last user message matches /${rule.lastUserMessage}/${rule.flags ?? ''}`);
  }
  if (rule.outputSchema !== undefined) {
    const schema = request.outputSchema;
    const names = [schema?.title, schema?.$id].filter((name): name is string => typeof name === 'string');
    if (!names.some((name) => name === rule.outputSchema || name.endsWith(`/${rule.outputSchema}`))) return undefined;
    held.push(`the output schema is ${rule.outputSchema}`);
  }
  return held.join('; ');
}

function patternOf(rule: PreRoutingRule, route = ''): LinearRegularExpression {
  const key = `${rule.flags ?? ''}/${rule.lastUserMessage}`;
  let compiled = compiledPatterns.get(key);
  if (!compiled) {
    compiled = compileLinearRegularExpression({
      pattern: rule.lastUserMessage ?? '',
      flags: rule.flags,
      owner: `pre-routing rule ${rule.name}${route ? ` of route ${route}` : ''}`,
    });
    if (compiledPatterns.size >= maximumCompiledPatterns) compiledPatterns.clear();
    compiledPatterns.set(key, compiled);
  }
  return compiled;
}
