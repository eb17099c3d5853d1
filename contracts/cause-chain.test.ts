import { ApplicationFailure, ChildWorkflowFailure } from '@temporalio/common';
import { applicationFailureOf, causeChain, maximumCauseChainLength } from './cause-chain';

describe('causeChain', () => {
  it('lists an error and its causes, outermost first', () => {
    const socket = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const fetchFailed = new TypeError('fetch failed', { cause: socket });
    const wrapped = new Error('call failed', { cause: fetchFailed });
    expect(causeChain(wrapped)).toEqual([wrapped, fetchFailed, socket]);
  });

  it('walks Temporal failures and plain objects alike', () => {
    const application = ApplicationFailure.create({ type: 'CascadeFailed', message: 'no answer' });
    const child = new ChildWorkflowFailure(
      'default',
      { workflowId: 'w', runId: 'r' },
      'cascade',
      0 as never,
      application,
    );
    expect(causeChain(child)).toEqual([child, application]);
    const plain = { message: 'outer', cause: { message: 'inner' } };
    expect(causeChain(plain)).toEqual([plain, plain.cause]);
  });

  it('stops at a cause seen before, so a cycle terminates', () => {
    const first = new Error('first');
    const second = new Error('second', { cause: first });
    (first as { cause?: unknown }).cause = second;
    expect(causeChain(first)).toEqual([first, second]);
    const own = new Error('own cause');
    (own as { cause?: unknown }).cause = own;
    expect(causeChain(own)).toEqual([own]);
  });

  it(`stops after ${maximumCauseChainLength} links`, () => {
    let deep: Error = new Error('root');
    for (let depth = 0; depth < 100; depth++) deep = new Error(`level ${depth}`, { cause: deep });
    expect(causeChain(deep)).toHaveLength(maximumCauseChainLength);
  });

  it('gives nothing for no error, and a lone value for a value without cause', () => {
    expect(causeChain(undefined)).toEqual([]);
    expect(causeChain(null)).toEqual([]);
    expect(causeChain('boom')).toEqual(['boom']);
  });
});

describe('applicationFailureOf', () => {
  it('finds the outermost application failure under a wrapping failure, or nothing', () => {
    const application = ApplicationFailure.create({ type: 'CascadeFailed', message: 'no answer' });
    const wrapped = new Error('workflow failed', { cause: application });
    expect(applicationFailureOf(wrapped)).toBe(application);
    expect(applicationFailureOf(new Error('plain'))).toBeUndefined();
  });
});
