import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionSettings } from './connection-settings';

const noProfile = { TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml' };

describe('connectionSettings', () => {
  it('defaults to a local server and the default namespace', () => {
    const settings = connectionSettings({ environment: noProfile });
    expect(settings.connectionOptions.address).toBe('localhost:7233');
    expect(settings.namespace).toBe('default');
  });

  it('reads Temporal Cloud settings the way the temporal CLI does: address, namespace, API key (with TLS)', () => {
    const settings = connectionSettings({
      environment: {
        ...noProfile,
        TEMPORAL_ADDRESS: 'prod.a1b2c.tmprl.cloud:7233',
        TEMPORAL_NAMESPACE: 'prod.a1b2c',
        TEMPORAL_API_KEY: 'secret-key',
      },
    });
    expect(settings.connectionOptions.address).toBe('prod.a1b2c.tmprl.cloud:7233');
    expect(settings.namespace).toBe('prod.a1b2c');
    expect(settings.connectionOptions.apiKey).toBe('secret-key');
    expect(settings.connectionOptions.tls).toBeTruthy();
  });

  it('reads mutual TLS from certificate files', () => {
    const directory = mkdtempSync(join(tmpdir(), 'cascade-tls-'));
    writeFileSync(join(directory, 'client.pem'), 'CERTIFICATE');
    writeFileSync(join(directory, 'client.key'), 'KEY');
    const settings = connectionSettings({
      environment: {
        ...noProfile,
        TEMPORAL_ADDRESS: 'temporal.internal:7233',
        TEMPORAL_TLS_CLIENT_CERT_PATH: join(directory, 'client.pem'),
        TEMPORAL_TLS_CLIENT_KEY_PATH: join(directory, 'client.key'),
      },
    });
    const tls = settings.connectionOptions.tls as { clientCertPair?: { crt: Uint8Array; key: Uint8Array } };
    expect(Buffer.from(tls.clientCertPair!.crt).toString()).toBe('CERTIFICATE');
    expect(Buffer.from(tls.clientCertPair!.key).toString()).toBe('KEY');
  });

  it('lets explicit options win over the environment', () => {
    const settings = connectionSettings({
      address: '127.0.0.1:7999',
      namespace: 'staging',
      environment: { ...noProfile, TEMPORAL_ADDRESS: 'elsewhere:7233', TEMPORAL_NAMESPACE: 'prod' },
    });
    expect(settings.connectionOptions.address).toBe('127.0.0.1:7999');
    expect(settings.namespace).toBe('staging');
  });
});
