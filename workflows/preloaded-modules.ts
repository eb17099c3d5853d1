/**
 * Modules the worker loads once per workflow thread and shares with every workflow it runs (the
 * bundler's `preloadModules`, see `workers/workflow-bundle-options.ts`), instead of evaluating them
 * again for each new workflow: zod, whose module graph is most of what a new cascade evaluated before
 * it ran a line of its own.
 *
 * The worker deep-freezes whatever a shared module exports, and the module must not hold per-workflow
 * state. zod's exports are functions and a few objects: its global config, which it fills with the
 * default locale and memoizer when it builds its first schema, so one is built here before the freeze;
 * its registry, which keeps entries in maps that stay writable; and its built-in patterns, which are
 * frozen with it. So a workflow cannot parse with a zod string format that checks one of those
 * patterns (`z.email()`, `z.guid()`, `z.ipv4()`...: the check resets the pattern's `lastIndex` and
 * throws); the contracts use none, `.url()` and `.regex()` with a pattern of their own are safe. The
 * contracts' own schemas are not shared either: zod writes into a schema while parsing (a pattern's
 * `lastIndex`, a memoized parse), which a frozen schema refuses.
 */
import { z } from 'zod';

export const zodConfigured = !z.object({ configured: z.string() }).safeParse({ configured: 1 }).success;
