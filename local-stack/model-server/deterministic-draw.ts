import { createHash } from 'node:crypto';

/**
 * A number in [0, 1) drawn from a prompt key and a salt: the same inputs always give the same
 * number, different salts give unrelated numbers. The salt keeps draws apart that should not move
 * together (the mix branch of the cheap and the flagship model, or a branch and a latency).
 */
export function drawFraction(options: { promptKey: string; salt: string }): number {
  const digest = createHash('sha256').update(`${options.salt}\u0000${options.promptKey}`).digest();
  // 48 bits are exactly representable in a double.
  return digest.readUIntBE(0, 6) / 2 ** 48;
}
