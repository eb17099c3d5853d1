import { runInNewContext } from 'node:vm';
import { ConfigurationError, UnknownRouteError } from '../config/configuration-error';
import { CascadeError } from './cascade-error';
import { failureTypes } from './failure-types';

describe('CascadeError', () => {
  it('takes its type, message, cause and details from one options object', () => {
    const cause = new Error('disk full');
    const error = new CascadeError({
      type: failureTypes.invalidDataset,
      message: 'train.jsonl: cannot read',
      cause,
      details: { line: 3 },
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ type: 'InvalidDataset', message: 'train.jsonl: cannot read', details: { line: 3 } });
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('CascadeError');
  });

  it('is non-retryable when the registry says its type is, unless told otherwise', () => {
    expect(new CascadeError({ type: failureTypes.unknownRoute, message: 'x' }).nonRetryable).toBe(true);
    expect(new CascadeError({ type: failureTypes.providerUnavailable, message: 'x' }).nonRetryable).toBe(false);
    expect(
      new CascadeError({ type: failureTypes.providerUnavailable, message: 'x', nonRetryable: true }).nonRetryable,
    ).toBe(true);
  });

  it('keeps the stable type, name and message of a subclass', () => {
    const error = new UnknownRouteError({ route: 'billing', knownRoutes: ['support-faq'] });
    expect(error).toMatchObject({
      type: 'UnknownRoute',
      name: 'UnknownRouteError',
      nonRetryable: true,
      route: 'billing',
      knownRoutes: ['support-faq'],
      message: 'unknown route "billing"; the configuration has: support-faq',
    });
  });

  describe('isInstance', () => {
    it('accepts every project error and refuses other values', () => {
      expect(CascadeError.isInstance(new ConfigurationError({ message: 'bad' }))).toBe(true);
      expect(CascadeError.isInstance(new Error('bad'))).toBe(false);
      expect(CascadeError.isInstance({ type: 'InvalidConfiguration', message: 'bad' })).toBe(false);
      expect(CascadeError.isInstance(undefined)).toBe(false);
      expect(CascadeError.isInstance('InvalidConfiguration')).toBe(false);
    });

    it("tells a subclass's errors from its siblings'", () => {
      const configuration = new ConfigurationError({ message: 'bad' });
      expect(ConfigurationError.isInstance(configuration)).toBe(true);
      expect(UnknownRouteError.isInstance(configuration)).toBe(false);
    });

    it('recognises an error built in another realm, where instanceof fails', () => {
      const foreign: unknown = runInNewContext(`
        const error = new Error('unknown route "billing"');
        error.name = 'UnknownRouteError';
        error.type = 'UnknownRoute';
        error[Symbol.for('temporal-cascade.error')] = true;
        error;
      `);
      expect(foreign instanceof Error).toBe(false);
      expect(CascadeError.isInstance(foreign)).toBe(true);
      expect(UnknownRouteError.isInstance(foreign)).toBe(true);
      expect(ConfigurationError.isInstance(foreign)).toBe(false);
    });

    it('recognises a plain object carrying the marker (a second copy of the module)', () => {
      const copy = { name: 'ConfigurationError', message: 'bad', [Symbol.for('temporal-cascade.error')]: true };
      expect(CascadeError.isInstance(copy)).toBe(true);
      expect(ConfigurationError.isInstance(copy)).toBe(true);
    });
  });
});
