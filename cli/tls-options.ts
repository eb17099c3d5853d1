import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../config/configuration-error';

/**
 * The certificate and key of `--tls-cert` and `--tls-key`, read; undefined without them. Throws a
 * `ConfigurationError` when only one is given.
 */
export function readTlsFiles(options: {
  tlsCert?: string;
  tlsKey?: string;
}): { cert: Buffer; key: Buffer } | undefined {
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined))
    throw new ConfigurationError({ message: '--tls-cert and --tls-key go together' });
  if (options.tlsCert === undefined || options.tlsKey === undefined) return undefined;
  return { cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) };
}
