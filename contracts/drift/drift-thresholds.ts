import { z } from 'zod';

/** Answered cascades a window needs before it is judged, unless the thresholds say otherwise. */
export const defaultMinimumRequests = 30;

/** What a route's escalation rate and cost are held to. Plain JSON. */
export const driftThresholdsSchema = z
  .object({
    /** The escalation rate the route is expected to run at, as a fraction (0.2 for 20%). */
    baselineEscalationRate: z
      .number()
      .min(0, 'must be a rate between 0 and 1')
      .max(1, 'must be a rate between 0 and 1'),
    /** How far the measured rate may move from the baseline, either way, in percentage points (10 for ±10 points). */
    maxDriftPoints: z
      .number()
      .gt(0, 'must be more than 0 percentage points')
      .max(100, 'must be at most 100 percentage points'),
    /**
     * The largest share of the flagship-only cost the cascade may cost (0.8: the cascade must cost at most 80% of
     * sending every request to the flagship). No cost check when absent.
     */
    maxCostShare: z.number().gt(0, 'must be a share of more than 0').optional(),
    /**
     * The least share of canary comparisons in which the flagship agreed with the accepted answer (0.9: 90%),
     * judged once the window holds `minRequests` comparisons. No canary check when absent.
     */
    minCanaryAgreement: z
      .number()
      .gt(0, 'must be a share between 0 and 1')
      .max(1, 'must be a share between 0 and 1')
      .optional(),
    /** Answered cascades needed before the window is judged. @default 30 */
    minRequests: z.number().int('must be a whole number').positive('must be at least 1').optional(),
  })
  .strict();
export type DriftThresholds = z.infer<typeof driftThresholdsSchema>;
