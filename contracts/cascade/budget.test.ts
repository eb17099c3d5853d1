import { budgetCheckOf, budgetPeriodOf, budgetStateOf, type BudgetLimit, type BudgetStanding } from './budget';

const limit = (overrides: Partial<BudgetLimit> = {}): BudgetLimit => ({
  scope: 'customer',
  name: 'acme',
  period: 'day',
  softUsd: 8,
  hardUsd: 10,
  action: 'refuse',
  ...overrides,
});
const standing = (state: BudgetStanding['state'], overrides: Partial<BudgetLimit> = {}): BudgetStanding => ({
  limit: limit(overrides),
  spentUsd: 0,
  periodStart: '',
  periodEnd: '',
  state,
});

it('reaches the soft cap and the hard cap at their amounts', () => {
  expect(budgetStateOf(limit(), 7.99)).toBe('ok');
  expect(budgetStateOf(limit(), 8)).toBe('soft');
  expect(budgetStateOf(limit(), 10)).toBe('hard');
  expect(budgetStateOf(limit({ softUsd: undefined }), 9.99)).toBe('ok');
});

it('bounds UTC days and months, across a year end', () => {
  const at = new Date('2026-12-31T23:59:59.999Z');
  expect(budgetPeriodOf('day', at)).toEqual({
    start: new Date('2026-12-31T00:00:00.000Z'),
    end: new Date('2027-01-01T00:00:00.000Z'),
  });
  expect(budgetPeriodOf('month', at)).toEqual({
    start: new Date('2026-12-01T00:00:00.000Z'),
    end: new Date('2027-01-01T00:00:00.000Z'),
  });
});

it('decides by the worst budget, a refusing hard cap before a cheap-only one', () => {
  expect(budgetCheckOf([])).toEqual({ state: 'none' });
  expect(budgetCheckOf([standing('ok'), standing('soft', { name: 'route' })]).deciding?.limit.name).toBe('route');
  const cheapOnly = standing('hard', { action: 'cheap-only', name: 'thrift' });
  const refusing = standing('hard', { action: 'refuse', name: 'strict' });
  expect(budgetCheckOf([cheapOnly, refusing])).toMatchObject({ state: 'hard', action: 'refuse', deciding: refusing });
  expect(budgetCheckOf([standing('soft'), cheapOnly])).toMatchObject({ state: 'hard', action: 'cheap-only' });
});
