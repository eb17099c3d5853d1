/**
 * Counts the calls of each (model, prompt) pair, so faults can apply to "the first N calls of this
 * prompt" while other prompts, and other tests, run at the same time. The same number picks the mix
 * branch of a sampled call (temperature above 0), so the n-th sample of a prompt is the same in every run.
 */
export interface FaultCounter {
  /** Records one more call and returns its number for this (model, prompt), starting at 1. */
  nextCall(options: { model: string; promptKey: string }): number;
  /** Forgets every count. */
  reset(): void;
}

export function createFaultCounter(): FaultCounter {
  const callsByPrompt = new Map<string, number>();
  return {
    nextCall({ model, promptKey }) {
      const key = `${model}\u0000${promptKey}`;
      const call = (callsByPrompt.get(key) ?? 0) + 1;
      callsByPrompt.set(key, call);
      return call;
    },
    reset() {
      callsByPrompt.clear();
    },
  };
}
