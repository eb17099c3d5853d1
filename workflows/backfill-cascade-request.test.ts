import { cascadeRequestOfRow, invalidRequest } from './backfill-cascade-request';

const messages = [{ role: 'user', content: 'Ticket: please classify.' }];

describe('cascadeRequestOfRow', () => {
  it("runs the row on the job's route under the request id the source read", () => {
    const row = cascadeRequestOfRow({
      queued: {
        requestId: 'ticket-1',
        request: { requestId: 'other', route: 'old-route', messages, tags: { a: 'b' } },
      },
      route: 'tickets',
    });
    expect(row).toEqual({
      valid: true,
      request: { requestId: 'ticket-1', route: 'tickets', messages, tags: { a: 'b' } },
    });
  });

  it('asks for the shadow flagship only when the job does', () => {
    const queued = { requestId: 'ticket-2', request: { messages } };
    const shadowed = cascadeRequestOfRow({ queued, route: 'tickets', shadowFlagship: true });
    expect(shadowed.valid && shadowed.request.shadowFlagship).toBe(true);
    const plain = cascadeRequestOfRow({ queued, route: 'tickets', shadowFlagship: false });
    expect(plain.valid && 'shadowFlagship' in plain.request).toBe(false);
  });

  it('fails a row that is not a valid request, naming the bad field, at no cost', () => {
    const row = cascadeRequestOfRow({ queued: { requestId: 'ticket-3', request: { messages: [] } }, route: 'tickets' });
    expect(row.valid).toBe(false);
    if (row.valid) return;
    expect(row.failed).toMatchObject({
      requestId: 'ticket-3',
      outcome: 'failed',
      failureType: 'InvalidCascadeRequest',
      costUsd: 0,
    });
    expect(row.failed.failureReason).toMatch(/^invalid cascade request: messages: /);
    expect(row.failed.workflowId).toBeUndefined();
  });

  it('fails a row that is not an object', () => {
    const row = cascadeRequestOfRow({ queued: { requestId: 'ticket-4', request: ['a'] }, route: 'tickets' });
    expect(row.valid ? undefined : row.failed.failureReason).toMatch(/^invalid cascade request: \(input\): /);
  });
});

describe('invalidRequest', () => {
  it('is a failure of type InvalidCascadeRequest that cost nothing', () => {
    expect(invalidRequest({ requestId: 'r', reason: 'line 3: bad JSON' })).toEqual({
      requestId: 'r',
      outcome: 'failed',
      failureType: 'InvalidCascadeRequest',
      failureReason: 'line 3: bad JSON',
      costUsd: 0,
      flagshipOnlyUsd: 0,
      judgeUsd: 0,
    });
  });
});
