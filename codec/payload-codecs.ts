import type { DataConverter, PayloadCodec } from '@temporalio/common';
import { ConfigurationError } from '../config/configuration-error';
import { CompressionCodec } from './compression-codec';
import { EncryptionCodec } from './encryption-codec';
import { encryptionKeysFromEnvironment, type EncryptionKeyring } from './encryption-keys';

const compressionChoices = ['none', 'zlib'] as const;

/** The module of the failure converter that encodes messages and stack traces. */
export const encodedFailureConverterPath = require.resolve('./failure-converter');

/**
 * The payload codecs of this process's environment, in encoding order: zlib compression when
 * `CASCADE_PAYLOAD_COMPRESSION=zlib`, then AES-256-GCM encryption when `CASCADE_ENCRYPTION_KEYS` (or
 * `CASCADE_ENCRYPTION_KEY_FILE`) is set. Without either, payloads are stored as plain JSON.
 * Workers, clients, back-fill and every CLI command read the same variables, so all of them agree.
 */
export function payloadCodecsFromEnvironment(
  environment: Record<string, string | undefined> = process.env,
): PayloadCodec[] {
  return codecsOf(environment, encryptionKeysFromEnvironment(environment));
}

/**
 * A data converter with `payloadCodecsFromEnvironment`, for `Client` and `Worker.create`. With encryption
 * on, failures' messages and stack traces are encoded (and so encrypted) too (`failure-converter.ts`); a
 * worker given a prebuilt workflow bundle encodes them for activities only, unless the bundle was built
 * with the same `failureConverterPath`.
 */
export function dataConverterFromEnvironment(
  environment: Record<string, string | undefined> = process.env,
): DataConverter {
  const keyring = encryptionKeysFromEnvironment(environment);
  return {
    payloadCodecs: codecsOf(environment, keyring),
    ...(keyring ? { failureConverterPath: encodedFailureConverterPath } : {}),
  };
}

/**
 * The codecs a codec server decodes with: every codec a worker may have written payloads with, and a
 * payload sealed under a key it lacks passed through unchanged (so one old payload does not hide a history).
 */
export function codecServerCodecs(keyring: EncryptionKeyring | undefined): PayloadCodec[] {
  return [new CompressionCodec(), new EncryptionCodec({ keyring, onMissingKey: 'pass-through' })];
}

function codecsOf(environment: Record<string, string | undefined>, keyring: EncryptionKeyring | undefined) {
  const codecs: PayloadCodec[] = [];
  const compression = environment.CASCADE_PAYLOAD_COMPRESSION?.trim() || 'none';
  if (!(compressionChoices as readonly string[]).includes(compression)) {
    throw new ConfigurationError({
      message: `CASCADE_PAYLOAD_COMPRESSION must be one of ${compressionChoices.join(', ')}, got "${compression}"`,
    });
  }
  if (compression === 'zlib') codecs.push(new CompressionCodec());
  // Also without keys: it then stores payloads as they are, and says what to set when it meets an encrypted one.
  codecs.push(new EncryptionCodec({ keyring }));
  return codecs;
}
