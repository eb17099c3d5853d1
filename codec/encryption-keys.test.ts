import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptionKeysFromEnvironment, parseEncryptionKeys } from './encryption-keys';

const keyA = Buffer.alloc(32, 1).toString('base64');
const keyB = Buffer.alloc(32, 2).toString('base64');

describe('parseEncryptionKeys', () => {
  it('encrypts with the first key and holds every key for decryption', () => {
    const keyring = parseEncryptionKeys(`new:${keyB}, old:${keyA}`, 'CASCADE_ENCRYPTION_KEYS');
    expect(keyring.encryptingKey.id).toBe('new');
    expect(keyring.encryptingKey.key.equals(Buffer.alloc(32, 2))).toBe(true);
    expect([...keyring.keys.keys()]).toEqual(['new', 'old']);
  });

  it('reads one key per line with comments, as a key file holds them', () => {
    const keyring = parseEncryptionKeys(`# rotated 2026-12\nk2:${keyB}\n\nk1:${keyA}  # the old one\n`, 'key file');
    expect([...keyring.keys.keys()]).toEqual(['k2', 'k1']);
  });

  it.each([
    ['', 'holds no key'],
    ['just-a-key', 'entry 1: expected id:base64key'],
    [`bad id:${keyA}`, 'key id "bad id"'],
    [`k1:${keyA},k1:${keyB}`, 'entry 2: key id "k1" appears twice'],
    [
      `k1:${Buffer.alloc(16).toString('base64')}`,
      'must be 32 bytes in base64 (44 characters; `cascade encryption-key` makes one), got 16 bytes',
    ],
    ['k1:not base64!', 'got text that is not base64'],
  ])('refuses %j, naming the problem', (text, fragment) => {
    expect(() => parseEncryptionKeys(text, 'CASCADE_ENCRYPTION_KEYS')).toThrow(
      expect.objectContaining({ type: 'InvalidEncryptionKeys', message: expect.stringContaining(fragment) }),
    );
  });

  it('never puts a key in an error message', () => {
    const secret = Buffer.alloc(31, 7).toString('base64');
    expect(() => parseEncryptionKeys(`k1:${secret}`, 'CASCADE_ENCRYPTION_KEYS')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
  });
});

describe('encryptionKeysFromEnvironment', () => {
  it('is undefined when no key is configured', () => {
    expect(encryptionKeysFromEnvironment({})).toBeUndefined();
    expect(encryptionKeysFromEnvironment({ CASCADE_ENCRYPTION_KEYS: '  ' })).toBeUndefined();
  });

  it('reads a key file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cascade-keys-')), 'keys');
    writeFileSync(file, `k1:${keyA}\n`);
    expect(encryptionKeysFromEnvironment({ CASCADE_ENCRYPTION_KEY_FILE: file })?.encryptingKey.id).toBe('k1');
  });

  it('refuses both sources at once, and a key file it cannot read', () => {
    expect(() =>
      encryptionKeysFromEnvironment({ CASCADE_ENCRYPTION_KEYS: `k1:${keyA}`, CASCADE_ENCRYPTION_KEY_FILE: '/x' }),
    ).toThrow('set one of them');
    expect(() => encryptionKeysFromEnvironment({ CASCADE_ENCRYPTION_KEY_FILE: '/nonexistent/keys' })).toThrow(
      'cannot read the key file /nonexistent/keys',
    );
  });
});
