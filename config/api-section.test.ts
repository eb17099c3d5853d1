import { createHash } from 'node:crypto';
import { ConfigurationError } from './configuration-error';
import { parseConfigFile } from './load-config';
import { resolveApiSettings } from './api-section';

const routesPart = `
models:
  m: { provider: openai, model: m, price: { inputPerMillionUsd: 1, outputPerMillionUsd: 1 } }
routes:
  tickets: { cheap: { model: m }, flagship: { model: m }, gate: { kind: refusal } }
`;

describe('the api section', () => {
  it('resolves keys from hashes and variables, with the defaults', () => {
    const hash = createHash('sha256').update('hashed-key').digest('hex');
    const file = parseConfigFile(`
api:
  requestTimeout: 30s
  callers:
    web: { keySha256: ${hash}, customer: acme, routes: [tickets], requestsPerMinute: 60 }
    batch: { keyEnv: BATCH_KEY }
${routesPart}`);
    const settings = resolveApiSettings(file.api, {
      environment: { BATCH_KEY: 'batch-secret' },
      routeNames: ['tickets'],
      source: 'routes.yaml',
    });
    expect(settings.requestTimeoutMs).toBe(30_000);
    expect(settings.maximumBodyBytes).toBe(2 * 1024 * 1024);
    expect(
      settings.callers.map((caller) => [caller.name, caller.customer, caller.routes, caller.requestsPerMinute]),
    ).toEqual([
      ['web', 'acme', ['tickets'], 60],
      ['batch', undefined, undefined, undefined],
    ]);
    expect(settings.callers[0]!.keyHash.toString('hex')).toBe(hash);
    expect(settings.callers[1]!.keyHash).toEqual(createHash('sha256').update('batch-secret').digest());
  });

  it('names an unset variable, an unknown route and a shared key', () => {
    const file = parseConfigFile(`
api:
  callers:
    one: { keyEnv: ONE_KEY, routes: [nowhere] }
    two: { keyEnv: TWO_KEY }
    three: { keyEnv: THREE_KEY }
${routesPart}`);
    expect(() =>
      resolveApiSettings(file.api, {
        environment: { TWO_KEY: 'same', THREE_KEY: 'same' },
        routeNames: ['tickets'],
        source: 'routes.yaml',
      }),
    ).toThrow(
      new ConfigurationError({
        message:
          'routes.yaml: api.callers.one.keyEnv: the variable ONE_KEY is not set; api.callers.one.routes: no route "nowhere" (routes: tickets); api.callers.three: has the same key as caller two',
      }),
    );
  });

  it('refuses a caller with both or neither of keySha256 and keyEnv, and a key written out', () => {
    expect(() => parseConfigFile(`api: { callers: { x: { customer: a } } }\n${routesPart}`)).toThrow(
      /api\.callers\.x: needs exactly one of keySha256 and keyEnv/,
    );
    expect(() => parseConfigFile(`api: { callers: { x: { key: secret, keyEnv: K } } }\n${routesPart}`)).toThrow(
      /api\.callers\.x/,
    );
  });
});
