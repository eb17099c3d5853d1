import type { CascadeRequest } from '../../contracts/cascade/cascade-request';
import type { RecordedRow } from '../../evaluation/datasets/recorded-row';
import { isExamRow, isMathRow } from './replayed-rows';

/** One request of the demo, with the recorded row it replays when it comes from a dataset. */
export interface DemoItem {
  request: CascadeRequest;
  row?: RecordedRow;
}

const subjects = [
  'I was charged twice for my subscription this month',
  'The dashboard shows a blank page since this morning',
  'How do I add a second admin to our workspace?',
  'Please cancel my plan at the end of the billing period',
  'The API returns an error when I upload a CSV file',
  'Could you add a dark mode to the mobile app?',
  'I cannot log in after resetting my password',
  'Our invoice lists the wrong VAT number',
  'Export to PDF cuts off the last page of the report',
  "Where can I download last year's receipts?",
];
const details = [
  'It started after the last update.',
  'This is blocking our whole team.',
  'No rush, just curious.',
  'We are on the enterprise plan.',
  'I already tried two browsers.',
];
const customers = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];

const supportSystemPrompt =
  'Classify the support ticket. Answer with JSON only: {"category": "billing" | "bug" | "account" | "feature-request" | "other", "priority": "low" | "normal" | "high" | "urgent", "summary": "<one sentence>"}.';

/**
 * The demo's mixed traffic: support tickets on a scripted route, and real recorded exam and math
 * questions on replayed routes, interleaved. Request ids carry the run id, so every run is billed anew.
 */
export function buildDemoWorkload(options: {
  runId: string;
  requests: number;
  rows: readonly RecordedRow[];
}): DemoItem[] {
  const exam = options.rows.filter(isExamRow);
  const math = options.rows.filter(isMathRow);
  const streams: Array<(index: number) => DemoItem> = [
    (index) => supportTicket(options.runId, index),
    (index) => replayed({ runId: options.runId, route: 'exam-qa', rows: exam, index }),
    (index) => replayed({ runId: options.runId, route: 'math', rows: math, index }),
  ];
  // Two support tickets for each exam and each math question: 40% / 30% / 30% of the traffic.
  const pattern = [0, 1, 0, 2, 1, 0, 2, 0, 1, 2];
  const next = [0, 0, 0];
  return Array.from({ length: options.requests }, (_unused, position) => {
    const stream = pattern[position % pattern.length]!;
    return streams[stream]!(next[stream]!++);
  });
}

function supportTicket(runId: string, index: number): DemoItem {
  let subject = subjects[index % subjects.length]!;
  if (index % 20 === 7) subject = 'The legacy export of our audit log never finishes';
  if (index % 40 === 13) subject = 'See the attached archive of 40,000 log files and tell me what is wrong';
  const customer = customers[(index * 7) % customers.length]!;
  return {
    request: {
      requestId: `demo-${runId}-support-${index}`,
      route: 'support-ticket',
      messages: [
        { role: 'system', content: supportSystemPrompt },
        {
          role: 'user',
          content: `Ticket #${1000 + index} from ${customer}: ${subject}. ${details[(index * 3) % details.length]}`,
        },
      ],
      tags: { customer, feature: 'ticket-triage' },
    },
  };
}

function replayed(options: { runId: string; route: string; rows: readonly RecordedRow[]; index: number }): DemoItem {
  if (options.rows.length === 0) throw new Error(`the demo dataset has no rows for route ${options.route}`);
  const row = options.rows[options.index % options.rows.length]!;
  return {
    request: {
      requestId: `demo-${options.runId}-${options.route}-${options.index}`,
      route: options.route,
      messages: row.messages,
      tags: { customer: customers[options.index % customers.length]!, feature: options.route, source: row.id },
    },
    row,
  };
}
