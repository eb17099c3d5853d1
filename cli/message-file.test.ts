import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { firstLineNotUtf8, readMessageFile } from './message-file';

const directory = mkdtempSync(join(tmpdir(), 'message-file-'));
const fileWith = (name: string, bytes: Buffer) => {
  const path = join(directory, name);
  writeFileSync(path, bytes);
  return path;
};

describe('readMessageFile', () => {
  it('reads a UTF-8 file, without its byte-order mark', async () => {
    const path = fileWith('ok.txt', Buffer.from('\uFEFFGrüße\nzweite Zeile\n', 'utf8'));
    await expect(readMessageFile({ path, option: '--message-file' })).resolves.toBe('Grüße\nzweite Zeile\n');
  });

  it('refuses a Latin-1 file, naming the first line that is not UTF-8', async () => {
    const path = fileWith('latin1.txt', Buffer.from('first line\nsecond line\nGr\xfc\xdfe\n', 'latin1'));
    await expect(readMessageFile({ path, option: '--message-file' })).rejects.toMatchObject({
      type: 'InvalidCascadeRequest',
      message: `invalid cascade request: --message-file ${path}: line 3 is not valid UTF-8 (save the text as UTF-8)`,
    });
  });

  it('reads stdin for -', async () => {
    const stdin = Readable.from([Buffer.from('from '), Buffer.from('stdin')]);
    await expect(readMessageFile({ path: '-', option: '--message-file', stdin })).resolves.toBe('from stdin');
    const latin = Readable.from([Buffer.from('caf\xe9', 'latin1')]);
    await expect(readMessageFile({ path: '-', option: '--message', stdin: latin })).rejects.toThrow(
      '--message stdin: line 1 is not valid UTF-8',
    );
  });

  it('names a file that does not exist', async () => {
    await expect(readMessageFile({ path: join(directory, 'missing.txt'), option: '--message-file' })).rejects.toThrow(
      'missing.txt: no such file',
    );
  });
});

describe('firstLineNotUtf8', () => {
  it('finds a split multi-byte character and an overlong encoding', () => {
    expect(firstLineNotUtf8(Buffer.from('ok\n\xe2\x82\n', 'latin1'))).toBe(2);
    expect(firstLineNotUtf8(Buffer.from([0x6f, 0x6b, 0x0a, 0x0a, 0xc0, 0xaf]))).toBe(3);
    expect(firstLineNotUtf8(Buffer.from('all fine\n'))).toBeUndefined();
  });
});
