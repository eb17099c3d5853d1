import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { CompressionCodec, maxInflatedBytes } from './compression-codec';
import { EncryptionCodec, keyIdMetadataKey, metadataText } from './encryption-codec';
import { parseEncryptionKeys } from './encryption-keys';
import { dataConverterFromEnvironment, payloadCodecsFromEnvironment } from './payload-codecs';
import { deflateSync } from 'node:zlib';

const keyOld = `old:${Buffer.alloc(32, 1).toString('base64')}`;
const keyNew = `new:${Buffer.alloc(32, 2).toString('base64')}`;
const codecOf = (keys: string, onMissingKey?: 'error' | 'pass-through') =>
  new EncryptionCodec({ keyring: parseEncryptionKeys(keys, 'test'), onMissingKey });
const prompt = { messages: [{ role: 'user', content: 'my card 4111 1111 1111 1111 was charged twice' }] };
const payloadOf = (value: unknown) => defaultPayloadConverter.toPayload(value);
const valueOf = (payload: Payload) => defaultPayloadConverter.fromPayload(payload);

describe('EncryptionCodec', () => {
  it('round-trips a payload, leaving neither its data nor its metadata readable', async () => {
    const codec = codecOf(keyNew);
    const [encrypted] = await codec.encode([payloadOf(prompt)]);
    const stored = Buffer.from(encrypted!.data!).toString('latin1');
    expect(stored).not.toContain('4111');
    expect(stored).not.toContain('json/plain');
    expect(metadataText(encrypted!, 'encoding')).toBe('binary/encrypted');
    expect(metadataText(encrypted!, keyIdMetadataKey)).toBe('new');
    expect(valueOf((await codec.decode([encrypted!]))[0]!)).toEqual(prompt);
  });

  it('uses a fresh nonce per payload, so equal values do not look equal', async () => {
    const [first, second] = await codecOf(keyNew).encode([payloadOf(prompt), payloadOf(prompt)]);
    expect(Buffer.from(first!.data!).equals(Buffer.from(second!.data!))).toBe(false);
  });

  it('decrypts payloads of an older key after rotation, and encrypts with the new one', async () => {
    const [sealedByOld] = await codecOf(keyOld).encode([payloadOf(prompt)]);
    const rotated = codecOf(`${keyNew},${keyOld}`);
    expect(valueOf((await rotated.decode([sealedByOld!]))[0]!)).toEqual(prompt);
    const [sealedByNew] = await rotated.encode([payloadOf(prompt)]);
    expect(metadataText(sealedByNew!, keyIdMetadataKey)).toBe('new');
  });

  it('reads payloads written before encryption was turned on', async () => {
    const plain = payloadOf(prompt);
    expect(valueOf((await codecOf(keyNew).decode([plain]))[0]!)).toEqual(prompt);
  });

  it('names a key id it lacks, or passes the payload through when asked to', async () => {
    const [sealedByOld] = await codecOf(keyOld).encode([payloadOf(prompt)]);
    await expect(codecOf(keyNew).decode([sealedByOld!])).rejects.toMatchObject({
      type: 'EncryptionKeyMissing',
      message: expect.stringContaining('encrypted with key "old", which this process does not hold (it has: new)'),
    });
    expect(await codecOf(keyNew, 'pass-through').decode([sealedByOld!])).toEqual([sealedByOld]);
  });

  it('refuses an altered payload, a truncated one, and one whose key id was swapped', async () => {
    const codec = codecOf(`${keyNew},${keyOld}`);
    const [sealed] = await codec.encode([payloadOf(prompt)]);
    const flipped = Buffer.from(sealed!.data!);
    flipped[20] = flipped[20]! ^ 1;
    const undecryptable = expect.objectContaining({ type: 'PayloadUndecryptable' });
    await expect(codec.decode([{ ...sealed!, data: flipped }])).rejects.toEqual(undecryptable);
    await expect(codec.decode([{ ...sealed!, data: sealed!.data!.subarray(0, 10) }])).rejects.toEqual(undecryptable);
    const swapped = { ...sealed!, metadata: { ...sealed!.metadata, [keyIdMetadataKey]: Buffer.from('old') } };
    await expect(codec.decode([swapped])).rejects.toEqual(undecryptable);
  });
});

describe('CompressionCodec', () => {
  it('compresses a large payload, leaves a small one, and reads both back', async () => {
    const codec = new CompressionCodec();
    const large = payloadOf({ text: 'the same words again '.repeat(500) });
    const small = payloadOf('hi');
    const [compressed, untouched] = await codec.encode([large, small]);
    expect(metadataText(compressed!, 'encoding')).toBe('binary/zlib');
    expect(compressed!.data!.length).toBeLessThan(large.data!.length / 10);
    expect(untouched).toBe(small);
    expect(await codec.decode([compressed!, untouched!])).toEqual([
      expect.objectContaining({ data: large.data }),
      small,
    ]);
  });

  it('refuses a payload that would inflate past its bound, as a starter could send', async () => {
    const bomb = {
      metadata: { encoding: Buffer.from('binary/zlib') },
      data: deflateSync(Buffer.alloc(maxInflatedBytes + 1)),
    };
    expect(bomb.data.length).toBeLessThan(100_000);
    await expect(new CompressionCodec().decode([bomb])).rejects.toThrow(/buffer|length|larger/i);
  });
});

describe('payloadCodecsFromEnvironment', () => {
  it('stores plain payloads without keys, names the variable on an encrypted one, and compresses before it encrypts', async () => {
    const [withoutKeys] = payloadCodecsFromEnvironment({});
    const plain = payloadOf(prompt);
    expect(await withoutKeys!.encode([plain])).toEqual([plain]);
    const sealed = await codecOf(keyNew).encode([plain]);
    await expect(withoutKeys!.decode(sealed)).rejects.toThrow(
      'a payload is encrypted (key "new") and this process has no encryption key: set CASCADE_ENCRYPTION_KEYS',
    );
    const codecs = payloadCodecsFromEnvironment({
      CASCADE_ENCRYPTION_KEYS: keyNew,
      CASCADE_PAYLOAD_COMPRESSION: 'zlib',
    });
    expect(codecs.map((codec) => codec.constructor.name)).toEqual(['CompressionCodec', 'EncryptionCodec']);
    expect(dataConverterFromEnvironment({ CASCADE_ENCRYPTION_KEYS: keyNew }).payloadCodecs).toHaveLength(1);
  });

  it('refuses an unknown compression', () => {
    expect(() => payloadCodecsFromEnvironment({ CASCADE_PAYLOAD_COMPRESSION: 'brotli' })).toThrow(
      'CASCADE_PAYLOAD_COMPRESSION must be one of none, zlib, got "brotli"',
    );
  });
});
