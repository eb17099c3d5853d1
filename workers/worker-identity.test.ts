import { parseConfig } from '../config/load-config';
import { fingerprintOfIdentity, routesFingerprint, workerIdentity } from './worker-identity';

const routesYaml = (baseUrl: string) => `
models:
  cheap: { provider: openai, model: cheap-model, baseUrl: "${baseUrl}", apiKeyEnv: KEY, price: { inputPerMillionUsd: 0.15, outputPerMillionUsd: 0.6 } }
  flagship: { provider: openai, model: flagship-model, baseUrl: "${baseUrl}", apiKeyEnv: KEY, price: { inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 } }
routes:
  tickets:
    cheap: { model: cheap, timeout: 2s }
    flagship: { model: flagship, timeout: 5s }
    gate: { kind: refusal }
`;

describe('worker identity', () => {
  it('fingerprints the resolved routes: the same file alike, another endpoint differently', () => {
    const first = routesFingerprint(parseConfig(routesYaml('http://127.0.0.1:1/v1'), { source: 'a' }));
    expect(first).toMatch(/^[0-9a-f]{12}$/);
    expect(routesFingerprint(parseConfig(routesYaml('http://127.0.0.1:1/v1'), { source: 'b' }))).toBe(first);
    expect(routesFingerprint(parseConfig(routesYaml('http://127.0.0.1:2/v1'), { source: 'a' }))).not.toBe(first);
  });

  it('carries the fingerprint after the SDK default identity, and reads it back', () => {
    const routes = parseConfig(routesYaml('http://127.0.0.1:1/v1'), { source: 'a' });
    const identity = workerIdentity(routes);
    expect(identity).toMatch(new RegExp(`^${process.pid}@.+ routes=${routesFingerprint(routes)}$`));
    expect(fingerprintOfIdentity(identity)).toBe(routesFingerprint(routes));
    expect(fingerprintOfIdentity('4242@host')).toBeUndefined();
  });
});
