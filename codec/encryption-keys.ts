import { readFileSync } from 'node:fs';
import { CascadeError } from '../contracts/cascade-error';
import { failureTypes } from '../contracts/failure-types';

/** AES-256 keys are 32 bytes. */
const keyBytes = 32;
const keyIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** `CASCADE_ENCRYPTION_KEYS` or the key file holds a malformed entry; the message names the source and the entry. */
export class InvalidEncryptionKeysError extends CascadeError {
  declare readonly type: typeof failureTypes.invalidEncryptionKeys;
  override readonly name = 'InvalidEncryptionKeysError';

  constructor(options: { message: string; cause?: unknown }) {
    super({ ...options, type: failureTypes.invalidEncryptionKeys });
  }
}

export interface EncryptionKey {
  /** Recorded in each payload's metadata, so a payload names the key that opens it. */
  id: string;
  key: Buffer;
}

/**
 * The keys of a process: the first encrypts, every one decrypts, so keys rotate by putting a new key
 * first and keeping the old ones until no history that needs them is kept.
 */
export interface EncryptionKeyring {
  encryptingKey: EncryptionKey;
  keys: ReadonlyMap<string, Buffer>;
}

/**
 * Reads `id:base64key` entries separated by commas or line breaks (`#` starts a comment in a file).
 * `source` names where the text came from, for the errors.
 */
export function parseEncryptionKeys(text: string, source: string): EncryptionKeyring {
  const entries = text
    .split(/[\n,]/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.length > 0);
  if (entries.length === 0) {
    throw new InvalidEncryptionKeysError({
      message: `${source} holds no key; expected entries of the form id:base64key`,
    });
  }
  const keys = new Map<string, Buffer>();
  const ordered: EncryptionKey[] = [];
  entries.forEach((entry, index) => {
    const position = `${source}, entry ${index + 1}`;
    const separator = entry.indexOf(':');
    if (separator < 0) {
      throw new InvalidEncryptionKeysError({ message: `${position}: expected id:base64key, got no ":"` });
    }
    const id = entry.slice(0, separator).trim();
    const encoded = entry.slice(separator + 1).trim();
    if (!keyIdPattern.test(id)) {
      throw new InvalidEncryptionKeysError({
        message: `${position}: key id "${id}" must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
      });
    }
    if (keys.has(id)) throw new InvalidEncryptionKeysError({ message: `${position}: key id "${id}" appears twice` });
    const key = decodeBase64Strictly(encoded);
    if (key === undefined || key.length !== keyBytes) {
      throw new InvalidEncryptionKeysError({
        message: `${position}: the key of "${id}" must be ${keyBytes} bytes in base64 (44 characters; \`cascade encryption-key\` makes one), got ${key === undefined ? 'text that is not base64' : `${key.length} bytes`}`,
      });
    }
    keys.set(id, key);
    ordered.push({ id, key });
  });
  return { encryptingKey: ordered[0]!, keys };
}

/**
 * The keyring of `CASCADE_ENCRYPTION_KEYS` or of the file `CASCADE_ENCRYPTION_KEY_FILE` names (one of the
 * two, never both); `undefined` when neither is set, and payloads stay unencrypted.
 */
export function encryptionKeysFromEnvironment(
  environment: Record<string, string | undefined> = process.env,
): EncryptionKeyring | undefined {
  const inline = environment.CASCADE_ENCRYPTION_KEYS?.trim() || undefined;
  const file = environment.CASCADE_ENCRYPTION_KEY_FILE?.trim() || undefined;
  if (inline !== undefined && file !== undefined) {
    throw new InvalidEncryptionKeysError({
      message: 'both CASCADE_ENCRYPTION_KEYS and CASCADE_ENCRYPTION_KEY_FILE are set; set one of them',
    });
  }
  if (inline !== undefined) return parseEncryptionKeys(inline, 'CASCADE_ENCRYPTION_KEYS');
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidEncryptionKeysError({
      message: `cannot read the key file ${file} (CASCADE_ENCRYPTION_KEY_FILE): ${(error as Error).message}`,
      cause: error,
    });
  }
  return parseEncryptionKeys(text, `key file ${file}`);
}

function decodeBase64Strictly(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  return Buffer.from(text, 'base64');
}
