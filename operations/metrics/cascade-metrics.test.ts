import type { FinishedCascade } from '../../contracts/cascade/finished-cascade';
import { CascadeMetrics } from './cascade-metrics';

const finished = (route: string, customer?: string): FinishedCascade => ({
  workflowId: 'w',
  runId: 'r',
  requestId: 'secret-request-id',
  route,
  outcome: 'accepted',
  cost: { totalUsd: 0.001, cheapUsd: 0.001, flagshipUsd: 0, judgeUsd: 0, flagshipOnlyUsd: 0.01, savingUsd: 0.009 },
  startedAt: new Date().toISOString(),
  tags: customer ? { customer } : {},
});

describe('CascadeMetrics', () => {
  it('counts a route the worker lacks as other, and no customer unless asked', async () => {
    const metrics = new CascadeMetrics({ routeNames: ['tickets'], processMetrics: false });
    metrics.recordCascade(finished('tickets', 'acme'), 1.5);
    metrics.recordCascade(finished('made-up-route-from-input', 'acme'), 0.5);
    const text = await metrics.registry.metrics();
    expect(text).toContain('cascade_requests_total{route="tickets",outcome="accepted",escalation_reason="none"} 1');
    expect(text).toContain('cascade_requests_total{route="other",outcome="accepted",escalation_reason="none"} 1');
    expect(text).not.toContain('made-up-route');
    expect(text).not.toContain('acme');
    expect(text).not.toContain('secret-request-id');
    expect(text).not.toContain('nodejs_');
  });

  it('labels customers up to the limit, the rest as other', async () => {
    const metrics = new CascadeMetrics({ routeNames: ['tickets'], customerLabelLimit: 1, processMetrics: false });
    metrics.recordCascade(finished('tickets', 'acme'), 1);
    metrics.recordCascade(finished('tickets', 'globex'), 1);
    metrics.recordCascade(finished('tickets', 'acme'), 1);
    const text = await metrics.registry.metrics();
    expect(text).toContain('cascade_flagship_only_cost_usd_total{route="tickets",customer="acme"} 0.02');
    expect(text).toContain('cascade_flagship_only_cost_usd_total{route="tickets",customer="other"} 0.01');
  });
});
