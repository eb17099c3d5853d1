import { cascadeRequestSchema, requestIdPattern } from '../../contracts/cascade/cascade-request';
import { evaluationRequestId, evaluationRequests, evaluationRunKey } from './evaluation-requests';
import { policyWithGate, rowOf } from './evaluation.fixture';
import { overrideRouteModels } from './route-override';

const confidenceGate = { kind: 'confidence', threshold: 0.8 } as const;

describe('evaluation request ids', () => {
  it('are the same for the same evaluation, so a second run resumes the first', () => {
    const policy = policyWithGate(confidenceGate);
    const rows = [rowOf({ id: 'rational-cascades/mmlu/qwen_oai/train/0', cheapCorrect: true, flagshipCorrect: true })];
    const first = evaluationRequests({
      rows,
      policy,
      runKey: evaluationRunKey({ datasetPath: '/a/sample.jsonl.gz', policy }),
    });
    const second = evaluationRequests({
      rows,
      policy: policyWithGate(confidenceGate),
      runKey: evaluationRunKey({ datasetPath: '/elsewhere/sample.jsonl.gz', policy }),
    });
    expect(second.map((item) => item.request.requestId)).toEqual(first.map((item) => item.request.requestId));
    expect(first[0]!.request.requestId).toMatch(/^eval-[0-9a-f]{10}-rational-cascades\/mmlu\/qwen_oai\/train\/0$/);
    expect(first[0]!.request).toMatchObject({ route: 'exam', shadowFlagship: true, messages: rows[0]!.messages });
  });

  it('do not depend on the port the model server listens on this run', () => {
    const policy = policyWithGate(confidenceGate);
    const onPort = (port: number) =>
      overrideRouteModels({
        policy,
        cheap: 'gpt-4o-mini',
        modelServerUrl: `http://127.0.0.1:${port}/v1`,
        configuredModels: [],
      });
    expect(evaluationRunKey({ datasetPath: 'd.jsonl', policy: onPort(1111) })).toBe(
      evaluationRunKey({ datasetPath: 'd.jsonl', policy: onPort(2222) }),
    );
  });

  it('change with the dataset file, the models and the gate', () => {
    const policy = policyWithGate(confidenceGate);
    const key = evaluationRunKey({ datasetPath: 'd.jsonl', policy });
    expect(evaluationRunKey({ datasetPath: 'other.jsonl', policy })).not.toBe(key);
    expect(
      evaluationRunKey({ datasetPath: 'd.jsonl', policy: policyWithGate({ kind: 'confidence', threshold: 0.7 }) }),
    ).not.toBe(key);
    const swapped = overrideRouteModels({
      policy,
      flagship: 'qwen2.5-72b-instruct',
      modelServerUrl: 'http://127.0.0.1:1/v1',
      configuredModels: [],
    });
    expect(evaluationRunKey({ datasetPath: 'd.jsonl', policy: swapped })).not.toBe(key);
  });

  it('replace characters a request id cannot hold, and keep rows apart that would then collide', () => {
    const spaced = evaluationRequestId({ runKey: 'abc', rowId: 'row 1' });
    const underscored = evaluationRequestId({ runKey: 'abc', rowId: 'row_1' });
    expect(spaced).toMatch(/^eval-abc-row_1-[0-9a-f]{8}$/);
    expect(underscored).toBe('eval-abc-row_1');
    expect(spaced).not.toBe(underscored);
    expect(evaluationRequestId({ runKey: 'abc', rowId: 'row 1' })).toBe(spaced);
  });

  it('stay within the request id limit for a long row id', () => {
    const requestId = evaluationRequestId({ runKey: '0123456789', rowId: 'x'.repeat(500) });
    expect(requestId.length).toBeLessThanOrEqual(200);
    expect(requestId).toMatch(requestIdPattern);
    expect(evaluationRequestId({ runKey: '0123456789', rowId: `${'x'.repeat(499)}y` })).not.toBe(requestId);
  });
});

describe('evaluation requests', () => {
  it('name their dataset row, so the model server replays that row even when another row has the same prompt', () => {
    const policy = policyWithGate(confidenceGate);
    const rows = [
      rowOf({ id: 'rational-cascades/mmlu/qwen_oai/train/0', cheapCorrect: true, flagshipCorrect: true }),
      {
        ...rowOf({ id: 'rational-cascades/mmlu/qwen_oai/train/1', cheapCorrect: false, flagshipCorrect: true }),
        messages: [{ role: 'user' as const, content: 'Question rational-cascades/mmlu/qwen_oai/train/0' }],
      },
    ];
    const items = evaluationRequests({ rows, policy, runKey: 'abc' });
    expect(items.map((item) => item.request.datasetRowId)).toEqual([
      'rational-cascades/mmlu/qwen_oai/train/0',
      'rational-cascades/mmlu/qwen_oai/train/1',
    ]);
    for (const item of items) expect(cascadeRequestSchema.safeParse(item.request).success).toBe(true);
  });

  it('leave out a row id that cannot travel as an HTTP header, so the request stays valid and is matched by prompt', () => {
    const policy = policyWithGate(confidenceGate);
    const rows = [
      rowOf({ id: 'row 1', cheapCorrect: true, flagshipCorrect: true }),
      rowOf({ id: 'x'.repeat(257), cheapCorrect: true, flagshipCorrect: true }),
    ];
    for (const item of evaluationRequests({ rows, policy, runKey: 'abc' })) {
      expect(item.request).not.toHaveProperty('datasetRowId');
      expect(cascadeRequestSchema.safeParse(item.request).success).toBe(true);
    }
  });
});
