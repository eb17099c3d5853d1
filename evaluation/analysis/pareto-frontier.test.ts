import { paretoFrontier } from './pareto-frontier';

describe('paretoFrontier', () => {
  it('drops points that a cheaper or equally cheap point matches or beats in accuracy', () => {
    const points = [
      { name: 'd', costPer1kUsd: 5.2, accuracy: 0.7 },
      { name: 'a', costPer1kUsd: 2.2, accuracy: 0.6 },
      { name: 'b', costPer1kUsd: 3.2, accuracy: 0.6 },
      { name: 'c', costPer1kUsd: 4.2, accuracy: 0.7 },
      { name: 'e', costPer1kUsd: 8.2, accuracy: 0.9 },
      { name: 'f', costPer1kUsd: 8.2, accuracy: 0.85 },
      { name: 'g', costPer1kUsd: 9.2, accuracy: 0.8 },
    ];
    expect(paretoFrontier(points).map((point) => point.name)).toEqual(['a', 'c', 'e']);
  });

  it('keeps the first of points that tie exactly', () => {
    const points = [
      { name: 'first', costPer1kUsd: 1, accuracy: 0.5 },
      { name: 'second', costPer1kUsd: 1, accuracy: 0.5 },
    ];
    expect(paretoFrontier(points).map((point) => point.name)).toEqual(['first']);
  });

  it('keeps a point that is neither cheaper nor more accurate than both its neighbours', () => {
    // (5, 0.65) lies below the line from (0, 0.5) to (10, 0.9) but nothing dominates it.
    const points = [
      { costPer1kUsd: 0, accuracy: 0.5 },
      { costPer1kUsd: 10, accuracy: 0.9 },
      { costPer1kUsd: 5, accuracy: 0.65 },
    ];
    expect(paretoFrontier(points)).toEqual([points[0], points[2], points[1]]);
  });

  it('returns nothing for nothing', () => {
    expect(paretoFrontier([])).toEqual([]);
  });
});
