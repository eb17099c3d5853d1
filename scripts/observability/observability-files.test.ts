import { expressionProblems, observabilityFileProblems, withoutTemplateVariables } from './observability-files';

describe('the dashboard and the Prometheus rules in deploy/', () => {
  it('are what the code builds, parse, and name only metrics the worker and the API export or the rules record', async () => {
    expect(await observabilityFileProblems()).toEqual([]);
  });

  it('names a query that does not parse, and a metric nothing exports', () => {
    const known = new Set(['cascade_requests_total']);
    expect(
      expressionProblems(
        [
          { where: 'panel "a" query A', expr: 'sum(rate(cascade_requests_total{route=~"$route"}[$__rate_interval]))' },
          { where: 'panel "b" query A', expr: 'sum(rate(cascade_requests_total[5m])' },
          { where: 'rule x', expr: 'rate(cascade_request_total[5m]) / rate(cascade_requests_total[5m])' },
        ],
        known,
      ),
    ).toEqual([
      'panel "b" query A: PromQL syntax error at character 36: sum(rate(cascade_requests_total[5m])',
      'rule x: no metric "cascade_request_total" is exported or recorded',
    ]);
  });

  it('replaces Grafana’s variables with values PromQL takes', () => {
    expect(withoutTemplateVariables('rate(x{route=~"$route"}[$__rate_interval])')).toBe('rate(x{route=~".*"}[5m])');
  });
});
