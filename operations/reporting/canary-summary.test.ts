import { summarizeCanaries, type CanaryRecord } from './canary-summary';

const at = new Date('2026-12-02T10:00:00Z');
function canary(route: string, result: CanaryRecord['result'], costUsd = 0.001): CanaryRecord {
  return { route, result, costUsd, closedAt: at };
}

describe('summarizeCanaries', () => {
  it('counts per route and gives agreement among the compared canaries with its 95% interval', () => {
    const records = [
      ...Array.from({ length: 18 }, () => canary('exam', 'agreed')),
      ...Array.from({ length: 2 }, () => canary('exam', 'disagreed')),
      canary('exam', 'skipped_budget', 0),
      canary('exam', 'failed', 0),
      canary('billing', 'disagreed'),
    ];
    const [billing, exam] = summarizeCanaries(records);
    expect(exam).toMatchObject({ route: 'exam', compared: 20, agreed: 18, disagreed: 2, skippedBudget: 1, failed: 1 });
    expect(exam!.costUsd).toBeCloseTo(0.02, 12);
    expect(exam!.agreement.estimate).toBe(0.9);
    // Wilson's interval of 18 in 20.
    expect(exam!.agreement.lower).toBeCloseTo(0.699, 3);
    expect(exam!.agreement.upper).toBeCloseTo(0.972, 3);
    expect(billing).toMatchObject({ route: 'billing', compared: 1, agreed: 0 });
  });
});
