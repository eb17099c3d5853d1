import { cascadeRequestSchema, describeIssues } from './cascade-request';

const request = { requestId: 'r-1', route: 'exam', messages: [{ role: 'user', content: 'Question?' }] };

describe('cascadeRequestSchema datasetRowId', () => {
  it('is optional, and takes printable ASCII such as a dataset path', () => {
    expect(cascadeRequestSchema.safeParse(request).success).toBe(true);
    const parsed = cascadeRequestSchema.parse({ ...request, datasetRowId: 'rational-cascades/mmlu/qwen_oai/train/0' });
    expect(parsed.datasetRowId).toBe('rational-cascades/mmlu/qwen_oai/train/0');
    expect(cascadeRequestSchema.safeParse({ ...request, datasetRowId: 'x'.repeat(256) }).success).toBe(true);
  });

  it.each([
    ['a space', 'row 1'],
    ['a newline (a header injection)', 'row-1\r\nx-other: 1'],
    ['a tab', 'row\t1'],
    ['a character outside ASCII', 'ligne-é'],
    ['nothing', ''],
    ['257 characters', 'x'.repeat(257)],
  ])('rejects a row id with %s, naming the field', (_case, datasetRowId) => {
    const parsed = cascadeRequestSchema.safeParse({ ...request, datasetRowId });
    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error!)).toBe(
      'datasetRowId: must be 1 to 256 printable ASCII characters without spaces or control characters (it is sent as an HTTP header)',
    );
  });

  it('rejects a row id that is not a string', () => {
    const parsed = cascadeRequestSchema.safeParse({ ...request, datasetRowId: 7 });
    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error!)).toMatch(/^datasetRowId: /);
  });
});
