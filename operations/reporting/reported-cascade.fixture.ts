import type { ReportedCascade } from './reported-cascade';

const defaultStartedAt = new Date('2025-06-01T10:00:00Z');
let created = 0;

/**
 * A finished cascade for tests: accepted at the cheap tier of route `faq`, started 2025-06-01T10:00Z,
 * closed `latencyMs` (100) later, each with its own workflow id; `overrides` set any field.
 */
export function reportedCascade(overrides: Partial<ReportedCascade> = {}): ReportedCascade {
  const startedAt = overrides.startedAt ?? defaultStartedAt;
  const latencyMs = overrides.latencyMs ?? 100;
  created += 1;
  return {
    workflowId: `cascade-${created}`,
    route: 'faq',
    outcome: 'accepted',
    answerTier: 'cheap',
    costUsd: 0.001,
    flagshipOnlyUsd: 0.01,
    judgeUsd: 0,
    latencyMs,
    startedAt,
    closedAt: new Date(startedAt.getTime() + latencyMs),
    ...overrides,
  };
}
