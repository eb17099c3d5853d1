import type { CascadeRecordQuery, ReportedCascade } from '../reporting/reported-cascade';
import { reportedCascade } from '../reporting/reported-cascade.fixture';
import { measureWindow } from './measure-window';

const until = new Date('2025-06-01T12:00:00.000Z');

function cascade(change: Partial<ReportedCascade>): ReportedCascade {
  return reportedCascade({ route: 'tickets', ...change });
}

function readerOf(records: ReportedCascade[]) {
  const queries: CascadeRecordQuery[] = [];
  return { queries, reader: { read: async (query: CascadeRecordQuery) => (queries.push(query), records) } };
}

describe('measureWindow', () => {
  it('asks the reader for the route over the window that ends now', async () => {
    const { reader, queries } = readerOf([]);
    const window = await measureWindow({ reader, route: 'tickets', windowMs: 3_600_000, until });
    expect(queries).toEqual([{ since: new Date('2025-06-01T11:00:00.000Z'), until, route: 'tickets' }]);
    expect(window).toEqual({
      route: 'tickets',
      since: '2025-06-01T11:00:00.000Z',
      until: '2025-06-01T12:00:00.000Z',
      requests: 0,
      escalations: 0,
      cascadeCostUsd: 0,
      flagshipOnlyCostUsd: 0,
      failures: 0,
      backfillCascades: 0,
      directToFlagship: 0,
    });
  });

  it('counts answered live cascades as requests and sums their costs; failures and back-fills apart', async () => {
    const { reader } = readerOf([
      cascade({ outcome: 'accepted', costUsd: 0.001, flagshipOnlyUsd: 0.02 }),
      cascade({ outcome: 'escalated', escalationReason: 'json_invalid', costUsd: 0.021, flagshipOnlyUsd: 0.02 }),
      cascade({ outcome: 'escalated', escalationReason: 'refusal', costUsd: 0.011, flagshipOnlyUsd: 0.01 }),
      cascade({ outcome: 'failed', failureType: 'CascadeFailed', costUsd: 0.003, flagshipOnlyUsd: 0 }),
      cascade({ outcome: 'escalated', backfillJob: 'june-replay', costUsd: 5, flagshipOnlyUsd: 5 }),
      cascade({ route: 'other-route', outcome: 'escalated', costUsd: 7, flagshipOnlyUsd: 7 }),
    ]);
    const window = await measureWindow({ reader, route: 'tickets', windowMs: 60_000, until });
    expect(window).toMatchObject({ requests: 3, escalations: 2, failures: 1, backfillCascades: 1 });
    expect(window.cascadeCostUsd).toBeCloseTo(0.033, 12);
    expect(window.flagshipOnlyCostUsd).toBeCloseTo(0.05, 12);
  });

  it('counts requests a flagship-only route sent straight to the flagship apart, not as escalations or costs', async () => {
    const { reader } = readerOf([
      cascade({ outcome: 'accepted', costUsd: 0.001, flagshipOnlyUsd: 0.02 }),
      cascade({ outcome: 'escalated', escalationReason: 'json_invalid', costUsd: 0.021, flagshipOnlyUsd: 0.02 }),
      cascade({ outcome: 'escalated', escalationReason: 'direct_to_flagship', costUsd: 0.02, flagshipOnlyUsd: 0.02 }),
      cascade({ outcome: 'escalated', escalationReason: 'direct_to_flagship', costUsd: 0.03, flagshipOnlyUsd: 0.03 }),
      cascade({
        outcome: 'failed',
        escalationReason: 'direct_to_flagship',
        failureType: 'CascadeFailed',
        costUsd: 0,
        flagshipOnlyUsd: 0,
      }),
    ]);
    const window = await measureWindow({ reader, route: 'tickets', windowMs: 60_000, until });
    expect(window).toMatchObject({
      requests: 2,
      escalations: 1,
      failures: 1,
      backfillCascades: 0,
      directToFlagship: 2,
    });
    expect(window.cascadeCostUsd).toBeCloseTo(0.022, 12);
    expect(window.flagshipOnlyCostUsd).toBeCloseTo(0.04, 12);
  });

  it('passes a reader failure on, so the activity retries it', async () => {
    const reader = { read: async () => Promise.reject(new Error('visibility unavailable')) };
    await expect(measureWindow({ reader, route: 'tickets', windowMs: 60_000, until })).rejects.toThrow(
      'visibility unavailable',
    );
  });
});
