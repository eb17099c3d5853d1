import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  type Dashboard,
  type Threshold,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeSeriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

/** The dashboard's uid: links and provisioning refer to it. */
export const cascadeDashboardUid = 'temporal-cascade';

const datasource = { type: 'prometheus', uid: '${datasource}' };
const routes = 'route=~"$route"';
const answered = `cascade_requests_total{${routes},outcome=~"accepted|escalated"}`;
const escalated = `cascade_requests_total{${routes},outcome="escalated"}`;

/** One PromQL query of a panel. */
function query(expr: string, legendFormat: string, refId = 'A'): DataqueryBuilder {
  return new DataqueryBuilder().datasource(datasource).expr(expr).legendFormat(legendFormat).refId(refId);
}

function thresholds(steps: Threshold[]): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);
}

function stat(title: string, description: string, expr: string, unit: string, steps: Threshold[]): StatBuilder {
  return new StatBuilder()
    .title(title)
    .description(description)
    .datasource(datasource)
    .withTarget(query(expr, title))
    .unit(unit)
    .decimals(unit === 'percentunit' ? 1 : 2)
    .thresholds(thresholds(steps))
    .height(4)
    .span(4);
}

function timeSeries(title: string, description: string, unit: string, targets: DataqueryBuilder[]): TimeSeriesBuilder {
  const panel = new TimeSeriesBuilder()
    .title(title)
    .description(description)
    .datasource(datasource)
    .unit(unit)
    .height(8)
    .span(12)
    .fillOpacity(10)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    );
  for (const target of targets) panel.withTarget(target);
  return panel;
}

/**
 * The operators' dashboard of temporal-cascade, for Grafana with a Prometheus data source that scrapes the
 * workers (and `cascade serve`). `scripts/observability/check-observability-files.ts --write` writes it to
 * `deploy/grafana/temporal-cascade.json`; CI checks the file is what this builds.
 */
export function cascadeDashboard(): Dashboard {
  return new DashboardBuilder('temporal-cascade')
    .uid(cascadeDashboardUid)
    .description(
      'LLM cascades on Temporal: escalations, what they cost against the flagship alone, latency, failures and the canary.',
    )
    .tags(['temporal-cascade', 'llm'])
    .editable()
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser')
    .withVariable(new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus'))
    .withVariable(
      new QueryVariableBuilder('route')
        .label('Route')
        .datasource(datasource)
        .query('label_values(cascade_requests_total, route)')
        .definition('label_values(cascade_requests_total, route)')
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .multi(true)
        .includeAll(true)
        .allValue('.*'),
    )
    .withRow(new RowBuilder('Cascades'))
    .withPanel(
      stat(
        'Requests per second',
        'Cascades that ended, per second.',
        `sum(rate(cascade_requests_total{${routes}}[$__rate_interval]))`,
        'reqps',
        [{ value: null, color: 'blue' }],
      ),
    )
    .withPanel(
      stat(
        'Escalation rate',
        'Escalated among the cascades that answered (failures apart).',
        `sum(rate(${escalated}[$__rate_interval])) / sum(rate(${answered}[$__rate_interval]))`,
        'percentunit',
        [
          { value: null, color: 'green' },
          { value: 0.4, color: 'orange' },
          { value: 0.6, color: 'red' },
        ],
      ),
    )
    .withPanel(
      stat(
        'Saving against the flagship alone',
        'One minus what the cascades paid over what the flagship alone would have. Below 0 the cascade does not pay.',
        `1 - sum(rate(cascade_cost_usd_total{${routes}}[$__rate_interval])) / sum(rate(cascade_flagship_only_cost_usd_total{${routes}}[$__rate_interval]))`,
        'percentunit',
        [
          { value: null, color: 'red' },
          { value: 0, color: 'orange' },
          { value: 0.2, color: 'green' },
        ],
      ),
    )
    .withPanel(
      stat(
        'Failure rate',
        'Cascades that ended without an answer.',
        `sum(rate(cascade_requests_total{${routes},outcome="failed"}[$__rate_interval])) / sum(rate(cascade_requests_total{${routes}}[$__rate_interval]))`,
        'percentunit',
        [
          { value: null, color: 'green' },
          { value: 0.01, color: 'orange' },
          { value: 0.05, color: 'red' },
        ],
      ),
    )
    .withPanel(
      stat(
        'Canary agreement (1 day)',
        'Accepted answers the flagship answered alike, among the canary comparisons of the last day.',
        `sum(increase(cascade_canary_comparisons_total{${routes},result="agreed"}[1d])) / sum(increase(cascade_canary_comparisons_total{${routes},result=~"agreed|disagreed"}[1d]))`,
        'percentunit',
        [
          { value: null, color: 'red' },
          { value: 0.9, color: 'green' },
        ],
      ),
    )
    .withPanel(
      stat(
        'Cost per hour',
        'What the cascades paid, canary spend apart, in USD per hour.',
        `sum(rate(cascade_cost_usd_total{${routes}}[$__rate_interval])) * 3600`,
        'currencyUSD',
        [{ value: null, color: 'blue' }],
      ),
    )
    .withPanel(
      timeSeries('Cascades by outcome', 'Accepted at the cheap tier, escalated once, or failed.', 'reqps', [
        query(`sum by (outcome) (rate(cascade_requests_total{${routes}}[$__rate_interval]))`, '{{outcome}}'),
      ]).stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal)),
    )
    .withPanel(
      timeSeries(
        'Escalation rate by route, against its week',
        'The last hour against the route’s own last 7 days, the baseline of the CascadeEscalationRateAboveBaseline alert.',
        'percentunit',
        [
          query(`sum by (route) (rate(${escalated}[1h])) / sum by (route) (rate(${answered}[1h]))`, '{{route}} · 1h'),
          query(
            `sum by (route) (rate(${escalated}[7d])) / sum by (route) (rate(${answered}[7d]))`,
            '{{route}} · 7d',
            'B',
          ),
        ],
      ),
    )
    .withPanel(
      timeSeries('Escalations by reason', 'Why the cheap answer was not accepted.', 'reqps', [
        query(`sum by (escalation_reason) (rate(${escalated}[$__rate_interval]))`, '{{escalation_reason}}'),
      ]).stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal)),
    )
    .withPanel(
      timeSeries(
        'Cost share of the flagship alone (break-even at 100%)',
        'What the cascades paid over what the flagship alone would have, per route; above the line the cascade costs more than no cascade.',
        'percentunit',
        [
          query(
            `sum by (route) (rate(cascade_cost_usd_total{${routes}}[$__rate_interval])) / sum by (route) (rate(cascade_flagship_only_cost_usd_total{${routes}}[$__rate_interval]))`,
            '{{route}}',
          ),
        ],
      )
        .thresholds(
          thresholds([
            { value: null, color: 'green' },
            { value: 1, color: 'red' },
          ]),
        )
        .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed)),
    )
    .withPanel(
      timeSeries(
        'Cost and flagship-only cost (USD per hour)',
        'What the cascades paid, by tier, against what the flagship alone would have cost; the canary’s spend is its own line.',
        'currencyUSD',
        [
          query(`sum by (tier) (rate(cascade_cost_usd_total{${routes}}[$__rate_interval])) * 3600`, 'paid · {{tier}}'),
          query(
            `sum(rate(cascade_flagship_only_cost_usd_total{${routes}}[$__rate_interval])) * 3600`,
            'flagship alone',
            'B',
          ),
          query(`sum(rate(cascade_canary_cost_usd_total{${routes}}[$__rate_interval])) * 3600`, 'canary', 'C'),
        ],
      ),
    )
    .withRow(new RowBuilder('Latency and model calls'))
    .withPanel(
      timeSeries('Cascade duration by path (p50, p95)', 'Workflow start to end: accepted, escalated, failed.', 's', [
        query(
          `histogram_quantile(0.5, sum by (le, path) (rate(cascade_duration_seconds_bucket{${routes}}[$__rate_interval])))`,
          'p50 · {{path}}',
        ),
        query(
          `histogram_quantile(0.95, sum by (le, path) (rate(cascade_duration_seconds_bucket{${routes}}[$__rate_interval])))`,
          'p95 · {{path}}',
          'B',
        ),
      ]),
    )
    .withPanel(
      timeSeries('Model call duration by model (p95)', 'Each attempt of a model call, answered or not.', 's', [
        query(
          'histogram_quantile(0.95, sum by (le, cascade_tier, gen_ai_request_model) (rate(gen_ai_client_operation_duration_seconds_bucket[$__rate_interval])))',
          '{{cascade_tier}} · {{gen_ai_request_model}}',
        ),
      ]),
    )
    .withPanel(
      timeSeries(
        'Model call attempts by result',
        'Attempts per second: answered, or the failure type (rate limits, timeouts, 5xx).',
        'reqps',
        [
          query(
            'sum by (gen_ai_request_model, result) (rate(cascade_model_call_attempts_total[$__rate_interval]))',
            '{{gen_ai_request_model}} · {{result}}',
          ),
        ],
      ),
    )
    .withPanel(
      timeSeries('Tokens per second by model', 'Input and output tokens of the answered calls.', 'short', [
        query(
          'sum by (gen_ai_request_model, gen_ai_token_type) (rate(gen_ai_client_token_usage_sum[$__rate_interval]))',
          '{{gen_ai_request_model}} · {{gen_ai_token_type}}',
        ),
      ]),
    )
    .withPanel(
      timeSeries('Failures by type', 'Cascades without an answer, by the failure of the last call.', 'reqps', [
        query(
          `sum by (route, failure_type) (rate(cascade_failures_total{${routes}}[$__rate_interval]))`,
          '{{route}} · {{failure_type}}',
        ),
      ]),
    )
    .withPanel(
      timeSeries(
        'API requests by status',
        'The OpenAI-compatible API (`cascade serve`): 2xx, and the refusals by status.',
        'reqps',
        [query(`sum by (status) (rate(cascade_api_requests_total{${routes}}[$__rate_interval]))`, '{{status}}')],
      ),
    )
    .withRow(new RowBuilder('Canary'))
    .withPanel(
      timeSeries(
        'Canary agreement by route (6 h)',
        'Accepted answers the flagship answered alike, over the comparisons of the last 6 hours.',
        'percentunit',
        [
          query(
            `sum by (route) (increase(cascade_canary_comparisons_total{${routes},result="agreed"}[6h])) / sum by (route) (increase(cascade_canary_comparisons_total{${routes},result=~"agreed|disagreed"}[6h]))`,
            '{{route}}',
          ),
        ],
      )
        .thresholds(
          thresholds([
            { value: null, color: 'red' },
            { value: 0.9, color: 'green' },
          ]),
        )
        .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed)),
    )
    .withPanel(
      timeSeries(
        'Canary comparisons by result',
        'Agreed, disagreed, skipped at the daily budget, or failed (the flagship gave no answer).',
        'reqps',
        [query(`sum by (result) (rate(cascade_canary_comparisons_total{${routes}}[$__rate_interval]))`, '{{result}}')],
      ).stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal)),
    )
    .withRow(new RowBuilder('Traffic control'))
    .withPanel(
      timeSeries(
        'Open circuits by model',
        'Model endpoints whose circuit refuses calls (1: open or probing): their tier answers from its next model.',
        'short',
        [
          query(
            'max by (gen_ai_system, gen_ai_request_model) (cascade_circuit_open)',
            '{{gen_ai_system}} · {{gen_ai_request_model}}',
          ),
        ],
      ),
    )
    .withPanel(
      timeSeries(
        'Calls refused by open circuits',
        'Model-call attempts refused unsent (CircuitOpen): no provider request, no retry sleep.',
        'reqps',
        [
          query(
            'sum by (gen_ai_request_model) (rate(cascade_model_call_attempts_total{result="CircuitOpen"}[$__rate_interval]))',
            'refused · {{gen_ai_request_model}}',
          ),
        ],
      ),
    )
    .withPanel(
      timeSeries(
        'Pre-routed, cheap-only and refused requests',
        'Requests pre-routing sent straight to the flagship, and those a budget at its hard cap held to the cheap tier or refused.',
        'reqps',
        [
          query(
            `sum by (route, outcome) (rate(cascade_requests_total{${routes},outcome=~"pre_routed|cheap_only|refused"}[$__rate_interval]))`,
            '{{route}} · {{outcome}}',
          ),
        ],
      ),
    )
    .withPanel(
      timeSeries(
        'Budget spend this period',
        "What each budget's customer or route spent in its current UTC day or month, as the last request checked it.",
        'currencyUSD',
        [
          query(
            'max by (budget_scope, budget_name, period) (cascade_budget_spent_usd)',
            '{{budget_scope}} {{budget_name}} · {{period}}',
          ),
        ],
      ),
    )
    .build();
}
