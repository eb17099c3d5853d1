import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { parseEncryptionKeys } from '../codec/encryption-keys';
import { reportFailure } from './command-output';

export function registerEncryptionKeyCommand(program: Command): void {
  program
    .command('encryption-key')
    .description(
      'print a new AES-256 key as id:base64key, to put first in CASCADE_ENCRYPTION_KEYS (keep the old keys after it until no history needs them)',
    )
    .option('--id <id>', "the key id recorded in each payload (default: k followed by today's UTC date)")
    .action((options: { id?: string }) => {
      const id = options.id ?? `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
      const entry = `${id}:${randomBytes(32).toString('base64')}`;
      try {
        parseEncryptionKeys(entry, '--id');
      } catch (error) {
        process.exitCode = reportFailure(error, { json: false });
        return;
      }
      process.stdout.write(`${entry}\n`);
    });
}
