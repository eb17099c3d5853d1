import type { z } from 'zod';
import {
  defaultMinimumRequests,
  escalationDriftCheckInputSchema,
  type EscalationDriftCheckInput,
} from '../contracts/drift/drift-check';
import { durationSchema } from '../config/config-file-schema';
import { InvalidDriftCheckError } from '../operations/drift/invalid-drift-check-error';

/** The threshold flags of `cascade drift schedule` and `cascade drift check`, as commander hands them over. */
export interface DriftThresholdFlags {
  route: string;
  baseline: string;
  maxDriftPoints: string;
  maxCostShare?: string;
  minCanaryAgreement?: string;
  window: string;
  minRequests?: string;
}

/** The flag that sets each field of the check, for messages that name what the user typed. */
const flagOfField: Record<string, string> = {
  route: '--route',
  windowMs: '--window',
  'thresholds.baselineEscalationRate': '--baseline',
  'thresholds.maxDriftPoints': '--max-drift-points',
  'thresholds.maxCostShare': '--max-cost-share',
  'thresholds.minCanaryAgreement': '--min-canary-agreement',
  'thresholds.minRequests': '--min-requests',
};

/**
 * The drift check the flags describe, validated by the workflow's own schema, with every default
 * filled in (so the history shows what was judged). Rates and shares are fractions or percentages
 * (`0.2`, `20%`); durations as `30m`, `24h`, `7d` or milliseconds. Throws `InvalidDriftCheckError`
 * naming the flag.
 */
export function driftCheckOfFlags(flags: DriftThresholdFlags): EscalationDriftCheckInput {
  const input = {
    route: flags.route,
    windowMs: parseDurationFlag(flags.window, '--window'),
    thresholds: {
      baselineEscalationRate: parseShare(flags.baseline, '--baseline'),
      maxDriftPoints: parseNumber(flags.maxDriftPoints, '--max-drift-points'),
      ...(flags.maxCostShare !== undefined ? { maxCostShare: parseShare(flags.maxCostShare, '--max-cost-share') } : {}),
      ...(flags.minCanaryAgreement !== undefined
        ? { minCanaryAgreement: parseShare(flags.minCanaryAgreement, '--min-canary-agreement') }
        : {}),
      minRequests:
        flags.minRequests !== undefined ? parseNumber(flags.minRequests, '--min-requests') : defaultMinimumRequests,
    },
  };
  const parsed = escalationDriftCheckInputSchema.safeParse(input);
  if (!parsed.success)
    throw new InvalidDriftCheckError({ message: `invalid drift check: ${describeFlagIssues(parsed.error)}` });
  return parsed.data;
}

/** A duration flag in milliseconds: `30s`, `1h`, `2 days`, or milliseconds. */
export function parseDurationFlag(value: string, flag: string): number {
  const parsed = durationSchema.safeParse(value.trim());
  if (!parsed.success)
    throw new InvalidDriftCheckError({
      message: `invalid drift check: ${flag}: must be a duration such as 30m, 1h or 24h, got ${JSON.stringify(value)}`,
    });
  return parsed.data;
}

/** `0.2` or `20%` as 0.2. */
function parseShare(value: string, flag: string): number {
  const percent = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
  if (percent) return Number(percent[1]) / 100;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed))
    throw new InvalidDriftCheckError({
      message: `invalid drift check: ${flag}: must be a fraction or a percentage such as 0.2 or 20%, got ${JSON.stringify(value)}`,
    });
  return parsed;
}

function parseNumber(value: string, flag: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed))
    throw new InvalidDriftCheckError({
      message: `invalid drift check: ${flag}: must be a number, got ${JSON.stringify(value)}`,
    });
  return parsed;
}

function describeFlagIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.');
      return `${flagOfField[path] ?? (path || '(input)')}: ${issue.message}`;
    })
    .join('; ');
}
