/**
 * Modules the worker loads once per workflow thread and shares with every workflow it runs (the
 * bundler's `preloadModules`, see `workers/workflow-bundle-options.ts`), instead of evaluating them
 * again for each new workflow: zod, whose module graph is most of what a new cascade evaluated before
 * it ran a line of its own.
 *
 * The worker deep-freezes whatever a shared module exports, and the module must not hold per-workflow
 * state. zod's exports are functions and a few objects: its global config, which it fills with the
 * default locale and memoizer when it builds its first schema, so one is built here before the freeze;
 * its registry, which keeps entries in maps that stay writable; and its built-in patterns. The
 * contracts' own schemas are not shared: zod writes into a schema while parsing (a pattern's
 * `lastIndex`, a memoized parse), which a frozen schema refuses.
 */
import { z } from 'zod';

export const zodConfigured = !z.object({ configured: z.string() }).safeParse({ configured: 1 }).success;
