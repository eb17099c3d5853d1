import { Writable } from 'node:stream';
import pino from 'pino';
import type { RecentCascades } from '../../contracts/drift/drift-check';
import { evaluateDrift } from '../../contracts/drift/drift-evaluation';
import { driftAlertPayload, logDriftAlert } from './drift-alert';

const window: RecentCascades = {
  route: 'tickets',
  since: '2025-06-01T11:00:00.000Z',
  until: '2025-06-01T12:00:00.000Z',
  requests: 100,
  escalations: 70,
  cascadeCostUsd: 0.95,
  flagshipOnlyCostUsd: 1,
  failures: 2,
  backfillCascades: 0,
};

const evaluation = evaluateDrift({
  route: 'tickets',
  measured: window,
  thresholds: { baselineEscalationRate: 0.2, maxDriftPoints: 10, maxCostShare: 0.8, minRequests: 10 },
});

function capturingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('driftAlertPayload', () => {
  it('carries the message as `text`, the alerts, the figures and the window', () => {
    const payload = driftAlertPayload({
      input: { evaluation, window },
      workflowId: 'cascade-drift-tickets-2025-06-01T12:00:00Z',
      alertId: 'cascade-drift-tickets-2025-06-01T12:00:00Z/run-1',
    });
    expect(payload).toEqual({
      text: evaluation.message,
      alertId: 'cascade-drift-tickets-2025-06-01T12:00:00Z/run-1',
      route: 'tickets',
      status: 'alert',
      alerts: evaluation.alerts,
      figures: evaluation.figures,
      window,
      workflowId: 'cascade-drift-tickets-2025-06-01T12:00:00Z',
    });
    expect(payload.alerts.map((alert) => alert.kind)).toEqual(['escalation_rate_drift', 'cost_share_exceeded']);
  });
});

describe('logDriftAlert', () => {
  it('writes one error line per alert with route, kind and figures', () => {
    const { logger, lines } = capturingLogger();
    logDriftAlert(
      logger,
      driftAlertPayload({ input: { evaluation, window }, workflowId: 'check-1', alertId: 'check-1/run-1' }),
    );
    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.level === 50)).toBe(true);
    expect(lines[0]).toMatchObject({
      route: 'tickets',
      kind: 'escalation_rate_drift',
      direction: 'up',
      escalationRate: 0.7,
      driftPoints: 50,
      maxDriftPoints: 10,
      figures: { requests: 100, escalations: 70, costShare: 0.95 },
      window: { since: window.since, until: window.until },
      alertId: 'check-1/run-1',
      workflowId: 'check-1',
      msg: 'tickets: escalation rate drifted up to 70% from a baseline of 20% (+50 points, limit ±10) over 100 requests',
    });
    expect(lines[1]).toMatchObject({
      route: 'tickets',
      kind: 'cost_share_exceeded',
      costShare: 0.95,
      maxCostShare: 0.8,
      msg: 'tickets: the cascade cost 95% of flagship-only (limit 80%) over 100 requests',
    });
  });
});
