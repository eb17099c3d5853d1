import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { CascadeError } from '../contracts/cascade-error';
import { failureTypes } from '../contracts/failure-types';
import type { EncryptionKeyring } from './encryption-keys';

/** The `encoding` of an encrypted payload, as Temporal's encryption samples name it. */
export const encryptedEncoding = 'binary/encrypted';
/** The metadata entry naming the key that encrypted a payload. */
export const keyIdMetadataKey = 'encryption-key-id';
/** The metadata entry naming the cipher, so a reader knows how to open the payload. */
export const cipherMetadataKey = 'encryption-cipher';
const cipherName = 'AES-256-GCM';
const ivBytes = 12;
const tagBytes = 16;

/** A payload encrypted with a key id this process does not hold. */
export class EncryptionKeyMissingError extends CascadeError {
  declare readonly type: typeof failureTypes.encryptionKeyMissing;
  override readonly name = 'EncryptionKeyMissingError';
  readonly keyId: string;

  constructor(options: { keyId: string; knownKeyIds: string[] }) {
    super({
      type: failureTypes.encryptionKeyMissing,
      message:
        options.knownKeyIds.length === 0
          ? `a payload is encrypted (key "${options.keyId}") and this process has no encryption key: set CASCADE_ENCRYPTION_KEYS or CASCADE_ENCRYPTION_KEY_FILE as the workers have them`
          : `a payload is encrypted with key "${options.keyId}", which this process does not hold (it has: ${options.knownKeyIds.join(', ')}); add it to CASCADE_ENCRYPTION_KEYS`,
    });
    this.keyId = options.keyId;
  }
}

/** An encrypted payload that does not open: altered, truncated, or sealed under another key of the same id. */
export class PayloadUndecryptableError extends CascadeError {
  declare readonly type: typeof failureTypes.payloadUndecryptable;
  override readonly name = 'PayloadUndecryptableError';

  constructor(options: { keyId: string; cause?: unknown }) {
    super({
      type: failureTypes.payloadUndecryptable,
      message: `a payload encrypted with key "${options.keyId}" does not decrypt: it was altered, or sealed under another key with that id`,
      cause: options.cause,
    });
  }
}

export interface EncryptionCodecOptions {
  /** Without keys, payloads are stored as they are and an encrypted one fails to decode with a clear error. */
  keyring: EncryptionKeyring | undefined;
  /**
   * What a payload whose key this process lacks decodes to: an error (workers and clients, which need the
   * plain value) or the payload unchanged (a codec server, so one old payload does not hide a whole history).
   * @default 'error'
   */
  onMissingKey?: 'error' | 'pass-through';
}

/**
 * Encrypts whole payloads (metadata and data) with AES-256-GCM under the keyring's first key, a fresh
 * 96-bit nonce each time, and the key id as additional authenticated data. The stored payload is
 * `binary/encrypted` with the key id and cipher in its metadata, and `nonce ‖ ciphertext ‖ tag` as data.
 * Payloads that are not encrypted decode unchanged, so histories written before encryption was turned on
 * still read.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly keyring: EncryptionKeyring | undefined;
  private readonly onMissingKey: 'error' | 'pass-through';

  constructor(options: EncryptionCodecOptions) {
    this.keyring = options.keyring;
    this.onMissingKey = options.onMissingKey ?? 'error';
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    if (!this.keyring) return payloads;
    const { id, key } = this.keyring.encryptingKey;
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
      cipher.setAAD(Buffer.from(id, 'utf8'));
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: Buffer.from(encryptedEncoding),
          [keyIdMetadataKey]: Buffer.from(id),
          [cipherMetadataKey]: Buffer.from(cipherName),
        },
        data: new Uint8Array(sealed),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decodeOne(payload));
  }

  private decodeOne(payload: Payload): Payload {
    const encoding = metadataText(payload, METADATA_ENCODING_KEY);
    if (encoding !== encryptedEncoding) return payload;
    const keyId = metadataText(payload, keyIdMetadataKey) ?? '';
    const key = this.keyring?.keys.get(keyId);
    if (!key) {
      if (this.onMissingKey === 'pass-through') return payload;
      throw new EncryptionKeyMissingError({ keyId, knownKeyIds: [...(this.keyring?.keys.keys() ?? [])] });
    }
    const sealed = Buffer.from(payload.data ?? new Uint8Array());
    if (sealed.length < ivBytes + tagBytes) throw new PayloadUndecryptableError({ keyId });
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, ivBytes), { authTagLength: tagBytes });
      decipher.setAAD(Buffer.from(keyId, 'utf8'));
      decipher.setAuthTag(sealed.subarray(sealed.length - tagBytes));
      const plain = Buffer.concat([
        decipher.update(sealed.subarray(ivBytes, sealed.length - tagBytes)),
        decipher.final(),
      ]);
      return temporal.api.common.v1.Payload.decode(plain);
    } catch (error) {
      throw new PayloadUndecryptableError({ keyId, cause: error });
    }
  }
}

export function metadataText(payload: Payload, key: string): string | undefined {
  const value = payload.metadata?.[key];
  return value === undefined || value === null ? undefined : Buffer.from(value).toString('utf8');
}
