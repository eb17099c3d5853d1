import { renderConsoleTable } from './console-table';

describe('renderConsoleTable', () => {
  it('lines columns up, figures on the right, with no trailing spaces', () => {
    const text = renderConsoleTable({
      header: ['route', 'requests', 'note'],
      rows: [
        ['support', '12', ''],
        ['billing-long', '3', 'slow'],
      ],
      rightAligned: [1],
    });
    expect(text.split('\n')).toEqual([
      'route         requests  note',
      'support             12',
      'billing-long         3  slow',
    ]);
  });

  it('draws a rule under the header only when asked', () => {
    const text = renderConsoleTable({ header: ['a', 'bb'], rows: [['1', '2']], headerRule: true, columnGap: 1 });
    expect(text.split('\n')).toEqual(['a bb', '- --', '1 2']);
  });

  it('renders rows without a header, keeping leading spaces (indented labels)', () => {
    const text = renderConsoleTable({
      rows: [
        ['requests', '4'],
        ['  timeout', '1'],
      ],
    });
    expect(text.split('\n')).toEqual(['requests   4', '  timeout  1']);
  });

  it('adds no colour codes', () => {
    expect(renderConsoleTable({ header: ['a'], rows: [['b']] })).not.toContain('\u001b');
  });
});
