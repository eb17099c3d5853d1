import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { CascadeRequest } from '../../contracts/cascade/cascade-request';
import type { DriftThresholds, EscalationDriftCheckInput } from '../../contracts/drift/drift-check';
import {
  deleteDriftSchedule,
  describeDriftSchedule,
  driftScheduleIdOf,
  listDriftSchedules,
  upsertDriftSchedule,
} from '../../client/drift-schedules';
import { VisibilityRecordReader } from '../../operations/reporting/visibility-record-reader';
import { NativeConnection } from '@temporalio/worker';
import { ConfigurationError } from '../../config/configuration-error';
import { runInBackground } from '../../workers/background-worker';
import { createCascadeWorker } from '../../workers/create-worker';
import type { escalationDriftCheck } from '../../workflows/escalation-drift-check';
import { integrationEnvironment, requiredEnvironment } from './integration-environment';
import {
  newRequestId,
  standardModels,
  standardRoutes,
  startHarness,
  testApiKey,
  testApiKeyVariable,
  type Harness,
} from './cascade-harness';

/** A route of this file only: the dev server is shared, and the checks read every cascade of their route. */
const route = `drift-${randomUUID().slice(0, 8)}`;
const webhookPath = '/hooks/T000/secret-token-123';

interface ReceivedAlert {
  headers: IncomingHttpHeaders;
  path: string | undefined;
  body: Record<string, unknown>;
}

/** A local HTTP server standing in for the alert webhook: it records each POST and answers the scripted statuses, then 200. */
class WebhookStandIn {
  readonly received: ReceivedAlert[] = [];
  statuses: number[] = [];
  private readonly server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      this.received.push({
        headers: request.headers,
        path: request.url,
        body: JSON.parse(body) as Record<string, unknown>,
      });
      const status = this.statuses.shift() ?? 200;
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'not now');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  reset(): void {
    this.received.length = 0;
    this.statuses = [];
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const webhook = new WebhookStandIn();
let harness: Harness;
let webhookUrl: string;
let cascadeCostUsd = 0;
let flagshipOnlyCostUsd = 0;

function ticket(marker: string): CascadeRequest {
  return {
    requestId: newRequestId(`drift-${marker.toLowerCase() || 'plain'}`),
    route,
    messages: [{ role: 'user', content: `Ticket ${marker}: my invoice shows a charge I do not recognise.` }],
  };
}

beforeAll(async () => {
  webhookUrl = await webhook.start();
  harness = await startHarness({
    models: standardModels(),
    routesYaml: standardRoutes().replace('\n  tickets:\n', `\n  ${route}:\n`),
    alertWebhookUrl: `${webhookUrl}${webhookPath}`,
  });
  const since = new Date(Date.now() - 60_000);
  // Three accepted at the cheap tier, three escalated (the cheap answer is not JSON): a rate of 50%.
  const results = await Promise.all(
    [...['', '', ''], ...['CHEAP-INVALID-JSON', 'CHEAP-INVALID-JSON', 'CHEAP-INVALID-JSON']].map((marker) =>
      harness.client.run(ticket(marker)),
    ),
  );
  expect(results.map((result) => result.outcome).sort()).toEqual([
    'accepted',
    'accepted',
    'accepted',
    'escalated',
    'escalated',
    'escalated',
  ]);
  cascadeCostUsd = results.reduce((total, result) => total + result.cost.totalUsd, 0);
  flagshipOnlyCostUsd = results.reduce((total, result) => total + result.cost.flagshipOnlyUsd, 0);
  // Visibility is eventually consistent: wait until it shows all six.
  const reader = new VisibilityRecordReader({ client: harness.temporal });
  await waitFor(async () => (await reader.read({ since, route })).length === 6);
});

beforeEach(() => webhook.reset());

afterAll(async () => {
  if (harness) await deleteDriftSchedule(harness.temporal, route);
  await harness?.stop();
  await webhook.stop();
});

async function runCheck(thresholds: DriftThresholds, taskQueue = harness.taskQueue) {
  const workflowId = `${driftScheduleIdOf(route)}-test-${randomUUID()}`;
  const input: EscalationDriftCheckInput = { route, windowMs: 3_600_000, thresholds };
  const handle = await harness.temporal.workflow.start<typeof escalationDriftCheck>('escalationDriftCheck', {
    taskQueue,
    workflowId,
    args: [input],
  });
  return { workflowId, handle };
}

async function currentDetailsOf(workflowId: string): Promise<string | undefined> {
  return (
    await harness.temporal.workflow
      .getHandle(workflowId)
      .query<{ currentDetails?: string }>('__temporal_workflow_metadata')
  ).currentDetails;
}

async function scheduledActivities(workflowId: string): Promise<string[]> {
  return (await harness.history(workflowId)).flatMap(
    (event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
  );
}

describe('escalation drift checks on a real Temporal server', () => {
  it('alerts when the rate is far from the baseline and the cost share too high, and the webhook receives the JSON', async () => {
    const { workflowId, handle } = await runCheck({
      baselineEscalationRate: 0.05,
      maxDriftPoints: 10,
      maxCostShare: 0.3,
      minRequests: 5,
    });
    const result = await handle.result();

    expect(result.status).toBe('alert');
    expect(result.figures).toMatchObject({ requests: 6, escalations: 3, escalationRate: 0.5, driftPoints: 45 });
    expect(result.figures.cascadeCostUsd).toBeCloseTo(cascadeCostUsd, 12);
    expect(result.figures.flagshipOnlyCostUsd).toBeCloseTo(flagshipOnlyCostUsd, 12);
    // Each escalation paid both tiers; each acceptance a sixteenth of the flagship's price.
    expect(result.figures.costShare).toBeGreaterThan(0.5);
    expect(result.figures.costShare).toBeLessThan(0.7);
    expect(result.alerts.map((alert) => alert.kind)).toEqual(['escalation_rate_drift', 'cost_share_exceeded']);
    expect(result.alerts[0]).toMatchObject({ direction: 'up' });
    expect(result.alertDelivery).toEqual({ webhook: 'sent', statusCode: 200 });
    expect(result.window).toMatchObject({ route, requests: 6, escalations: 3, failures: 0, backfillCascades: 0 });

    expect(webhook.received).toHaveLength(1);
    const [alert] = webhook.received;
    expect(alert?.path).toBe(webhookPath);
    expect(alert?.headers['content-type']).toBe('application/json');
    expect(alert?.body).toMatchObject({
      text: result.message,
      route,
      status: 'alert',
      workflowId,
      figures: { requests: 6, escalations: 3 },
    });
    expect(alert?.body.alertId).toBe(`${workflowId}/${(await handle.describe()).runId}`);
    expect(alert?.headers['idempotency-key']).toBe(alert?.body.alertId);
    expect((alert?.body.alerts as Array<{ kind: string }>).map((entry) => entry.kind)).toEqual([
      'escalation_rate_drift',
      'cost_share_exceeded',
    ]);

    expect(await currentDetailsOf(workflowId)).toBe(result.message);
    expect(await scheduledActivities(workflowId)).toEqual(['measureRecentCascades', 'raiseDriftAlert']);
    // The webhook URL, with its token, is the worker's: it is nowhere in the history.
    const history = await harness.temporal.workflow.getHandle(workflowId).fetchHistory();
    const historyText = historyToJSON(history).replace(/"data": "([A-Za-z0-9+/=]*)"/g, (_match, data: string) =>
      JSON.stringify(Buffer.from(data, 'base64').toString('utf8')),
    );
    expect(historyText).toContain('baselineEscalationRate');
    expect(historyText).not.toContain('secret-token-123');
  });

  it('raises nothing within the band', async () => {
    const { workflowId, handle } = await runCheck({
      baselineEscalationRate: 0.45,
      maxDriftPoints: 10,
      maxCostShare: 0.9,
      minRequests: 5,
    });
    const result = await handle.result();

    expect(result.status).toBe('ok');
    expect(result.alerts).toEqual([]);
    expect(result.alertDelivery).toBeUndefined();
    expect(result.message).toMatch(
      new RegExp(`^${route}: ok · escalation rate 50% \\(baseline 45%, \\+5 points, limit ±10\\)`),
    );
    expect(webhook.received).toHaveLength(0);
    expect(await scheduledActivities(workflowId)).toEqual(['measureRecentCascades']);
    expect(await currentDetailsOf(workflowId)).toBe(result.message);
  });

  it('judges nothing below the minimum of requests', async () => {
    const { handle } = await runCheck({ baselineEscalationRate: 0.05, maxDriftPoints: 10, minRequests: 50 });
    const result = await handle.result();
    expect(result.status).toBe('insufficient_data');
    expect(result.message).toBe(`${route}: insufficient data · 6 answered cascades in the window, 50 needed to judge`);
    expect(webhook.received).toHaveLength(0);
  });

  it('retries a webhook that is down, and delivers the same alert once it is back', async () => {
    webhook.statuses = [503, 503];
    const { handle } = await runCheck({ baselineEscalationRate: 0.9, maxDriftPoints: 10, minRequests: 5 });
    const result = await handle.result();

    expect(result.alerts).toMatchObject([{ kind: 'escalation_rate_drift', direction: 'down', driftPoints: -40 }]);
    expect(result.alertDelivery).toEqual({ webhook: 'sent', statusCode: 200 });
    expect(webhook.received).toHaveLength(3);
    expect(new Set(webhook.received.map((alert) => alert.headers['idempotency-key'])).size).toBe(1);
  });

  it('fails the check with DriftAlertNotDelivered when the webhook refuses the alert, without retrying or leaking the URL', async () => {
    webhook.statuses = [404];
    const { handle } = await runCheck({ baselineEscalationRate: 0.05, maxDriftPoints: 10, minRequests: 5 });
    const failure = await handle.result().then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause.type).toBe('DriftAlertNotDelivered');
    expect(cause.message).toContain('the drift alert was logged but not delivered to the webhook');
    expect(cause.message).toContain('answered 404');
    expect(cause.message).not.toContain('secret-token-123');
    expect(cause.cause).toBeInstanceOf(ActivityFailure);
    expect((cause.cause?.cause as ApplicationFailure).type).toBe('AlertWebhookRejected');
    expect(webhook.received).toHaveLength(1);
  });

  it('fails a raw start with bad thresholds at once, naming the field', async () => {
    const handle = await harness.temporal.workflow.start('escalationDriftCheck', {
      taskQueue: harness.taskQueue,
      workflowId: `${driftScheduleIdOf(route)}-bad-${randomUUID()}`,
      args: [{ route, windowMs: 3_600_000, thresholds: { baselineEscalationRate: 20, maxDriftPoints: 10 } }],
    });
    const failure = await handle.result().then(
      () => undefined,
      (error: unknown) => error,
    );
    const cause = (failure as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidCascadeRequest');
    expect(cause.nonRetryable).toBe(true);
    expect(cause.message).toBe(
      'invalid drift check: thresholds.baselineEscalationRate: must be a rate between 0 and 1',
    );
    expect(await scheduledActivities(handle.workflowId)).toEqual([]);
  });

  it("takes the webhook from the worker's CASCADE_ALERT_WEBHOOK_URL, and refuses to start with one that is not a URL", async () => {
    const connection = await NativeConnection.connect({ address: harness.address });
    const taskQueue = `drift-environment-${randomUUID()}`;
    const workerOptions = {
      connection,
      taskQueue,
      routes: harness.routes,
      workflowBundle: { codePath: requiredEnvironment(integrationEnvironment.workflowBundle) },
      shutdownGraceTime: '2 seconds' as const,
    };
    try {
      const refused = await createCascadeWorker({
        ...workerOptions,
        environment: {
          [testApiKeyVariable]: testApiKey,
          CASCADE_ALERT_WEBHOOK_URL: 'hooks.example.com/secret-token-123',
        },
      }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ConfigurationError);
      expect((refused as Error).message).toBe('CASCADE_ALERT_WEBHOOK_URL is not a URL');

      const worker = runInBackground(
        await createCascadeWorker({
          ...workerOptions,
          environment: {
            [testApiKeyVariable]: testApiKey,
            CASCADE_ALERT_WEBHOOK_URL: `${webhookUrl}/from-environment`,
          },
        }),
      );
      try {
        const { handle } = await runCheck(
          { baselineEscalationRate: 0.05, maxDriftPoints: 10, minRequests: 5 },
          taskQueue,
        );
        expect((await handle.result()).alertDelivery).toEqual({ webhook: 'sent', statusCode: 200 });
        expect(webhook.received.map((alert) => alert.path)).toEqual(['/from-environment']);
      } finally {
        await worker.stop();
      }
    } finally {
      await connection.close();
    }
  });

  it('runs the check on a schedule, updates the schedule in place, lists and deletes it', async () => {
    const check: EscalationDriftCheckInput = {
      route,
      windowMs: 3_600_000,
      thresholds: { baselineEscalationRate: 0.5, maxDriftPoints: 10, minRequests: 5 },
    };
    expect(
      await upsertDriftSchedule(harness.temporal, { check, everyMs: 2_000, taskQueue: harness.taskQueue }),
    ).toEqual({ scheduleId: driftScheduleIdOf(route), created: true });

    const firstRun = await waitFor(async () => (await describeDriftSchedule(harness.temporal, route))?.recentRuns[0]);
    expect(firstRun.workflowId.startsWith(`${driftScheduleIdOf(route)}-`)).toBe(true);
    const scheduled = await harness.temporal.workflow
      .getHandle<typeof escalationDriftCheck>(firstRun.workflowId)
      .result();
    expect(scheduled).toMatchObject({ route, status: 'ok', figures: { requests: 6, escalations: 3 } });

    const updated = { ...check, thresholds: { ...check.thresholds, baselineEscalationRate: 0.4 } };
    expect(
      await upsertDriftSchedule(harness.temporal, { check: updated, everyMs: 2_000, taskQueue: harness.taskQueue }),
    ).toEqual({ scheduleId: driftScheduleIdOf(route), created: false });
    const described = await describeDriftSchedule(harness.temporal, route);
    expect(described).toMatchObject({
      route,
      everyMs: 2_000,
      taskQueue: harness.taskQueue,
      check: updated,
      paused: false,
    });

    const listed = await waitFor(async () =>
      (await listDriftSchedules(harness.temporal)).find((schedule) => schedule.route === route),
    );
    expect(listed.check).toEqual(updated);

    expect(await deleteDriftSchedule(harness.temporal, route)).toEqual({
      scheduleId: driftScheduleIdOf(route),
      deleted: true,
    });
    expect(await describeDriftSchedule(harness.temporal, route)).toBeUndefined();
    expect(await deleteDriftSchedule(harness.temporal, route)).toEqual({
      scheduleId: driftScheduleIdOf(route),
      deleted: false,
    });
  });
});

/** Polls until `probe` gives a value (or true), for what Temporal makes visible eventually. */
async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
