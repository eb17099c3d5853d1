import { z } from 'zod';

/** A share as a number (`0.05`) or a percentage (`5%`), above 0 and at most 1. */
export const shareSchema = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\d+(\.\d+)?%$/, 'a share is a number from 0 to 1 or a percentage such as 5%')
      .transform((text) => Number(text.slice(0, -1)) / 100),
  ])
  .pipe(z.number().gt(0, 'must be above 0').max(1, 'must be at most 1 (100%)'));
