import { z } from 'zod';
import { msToNumber } from '@temporalio/common/lib/time';

/** A duration: milliseconds, or a string such as `"250ms"`, `"30s"`, `"2 minutes"`. */
export const durationSchema = z
  .union([z.number().int().nonnegative(), z.string().min(1)])
  .transform((value, context) => {
    if (typeof value === 'number') return value;
    try {
      const milliseconds = msToNumber(value as Parameters<typeof msToNumber>[0]);
      if (Number.isFinite(milliseconds) && milliseconds >= 0) return Math.round(milliseconds);
    } catch {
      // reported below
    }
    context.addIssue({
      code: 'custom',
      message: `is not a duration (use milliseconds or a string such as "500ms", "30s", "2m"): ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  });
