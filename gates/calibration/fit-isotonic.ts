import type { Calibration } from '../../contracts/cascade/gate-spec';
import { assertUsableExamples, type CalibrationExample } from './calibration-example';

export type IsotonicCalibration = Extract<Calibration, { method: 'isotonic' }>;

/** Adjacent examples pooled together by pool-adjacent-violators. */
interface Block {
  count: number;
  correct: number;
  lowestSignal: number;
  highestSignal: number;
}

/**
 * Fits isotonic regression of correctness on the signal by pool-adjacent-violators: the examples are
 * sorted by signal (equal signals form one group), and adjacent groups are pooled until the share of
 * right answers rises strictly from one pool to the next.
 *
 * Each pool gives its share of right answers p at its lowest and its highest signal (one point when
 * they are equal), so `applyCalibration` returns exactly the fitted step on the training signals and
 * interpolates only in the gaps between pools. Hence x strictly increases and p does not decrease, as
 * `calibrationSchema` requires, with at most two points per level.
 *
 * Needs at least 1 example; throws `CalibrationError` for none or for a signal that is not a finite number.
 */
export function fitIsotonic(examples: ReadonlyArray<CalibrationExample>): IsotonicCalibration {
  assertUsableExamples(examples, { minimum: 1, purpose: 'fitIsotonic' });
  const sorted = [...examples].sort((left, right) => left.signal - right.signal);

  const pools: Block[] = [];
  for (const group of groupEqualSignals(sorted)) {
    let block = group;
    // Pooling equal shares too leaves p strictly rising from pool to pool: no redundant points.
    while (pools.length > 0 && share(pools[pools.length - 1]!) >= share(block)) {
      block = pool(pools.pop()!, block);
    }
    pools.push(block);
  }

  const points = pools.flatMap((block): Array<[number, number]> => {
    const probability = share(block);
    if (block.lowestSignal === block.highestSignal) return [[block.lowestSignal, probability]];
    return [
      [block.lowestSignal, probability],
      [block.highestSignal, probability],
    ];
  });
  return { method: 'isotonic', points };
}

function groupEqualSignals(sorted: readonly CalibrationExample[]): Block[] {
  const groups: Block[] = [];
  for (const example of sorted) {
    const last = groups[groups.length - 1];
    const correct = example.correct ? 1 : 0;
    if (last !== undefined && last.highestSignal === example.signal) {
      last.count += 1;
      last.correct += correct;
    } else {
      groups.push({ count: 1, correct, lowestSignal: example.signal, highestSignal: example.signal });
    }
  }
  return groups;
}

function pool(left: Block, right: Block): Block {
  return {
    count: left.count + right.count,
    correct: left.correct + right.correct,
    lowestSignal: left.lowestSignal,
    highestSignal: right.highestSignal,
  };
}

function share(block: Block): number {
  return block.correct / block.count;
}
