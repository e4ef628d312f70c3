/**
 * Slack messages: the run's results as Block Kit (https://api.slack.com/reference/block-kit/blocks),
 * the acknowledgement, refusals and help. Within Slack's limits: at most 50 blocks, a section's
 * text at most 3,000 characters, a header's 150; text is escaped as Slack's mrkdwn asks
 * (https://api.slack.com/reference/surfaces/formatting#escaping).
 */
import type { CheckResult, RunReport } from '#lib/result/types.ts';

export interface SlackText {
  type: 'mrkdwn' | 'plain_text';
  text: string;
}

export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text: SlackText }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' };

export interface SlackMessage {
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
  text: string;
  blocks?: SlackBlock[];
}

const MAX_BLOCKS = 50;
const MAX_SECTION = 3000;

/** Escapes the three characters mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, MAX_SECTION) } };
}

function target(result: CheckResult): string {
  const where = result.cluster === null ? '' : ` (${escapeMrkdwn(result.cluster)})`;
  return `*${escapeMrkdwn(result.job)}*${where} \`${escapeMrkdwn(result.instance ?? 'no target')}\``;
}

function facts(result: CheckResult): string {
  const parts = [`${Math.round(result.durationMs)} ms`];
  if (result.ok) parts.push(`${result.series} series`);
  if (result.tls?.daysLeft != null) parts.push(`cert ${Math.floor(result.tls.daysLeft)} d`);
  return parts.join(' · ');
}

function failureText(result: CheckResult): string {
  const lines = [`:x: ${target(result)}`, `*${result.reason}*: ${escapeMrkdwn(result.diagnosis)}`];
  if (result.httpStatus !== null) lines.push(`HTTP ${result.httpStatus} · ${facts(result)}`);
  else lines.push(facts(result));
  return lines.join('\n');
}

/** Packs lines into as few sections as the 3,000-character limit allows. */
function packed(lines: string[]): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  let current = '';
  for (const line of lines) {
    if (current !== '' && current.length + 1 + line.length > MAX_SECTION) {
      blocks.push(section(current));
      current = '';
    }
    current = current === '' ? line : `${current}\n${line}`;
  }
  if (current !== '') blocks.push(section(current));
  return blocks;
}

export interface ReportMessageOptions {
  /** What was asked for, e.g. `prod apiserver`; `everything` when empty. */
  scope?: string;
  /** A Slack user id, shown as a mention. */
  requestedBy?: string;
}

/**
 * The run's results as a Slack message: a header with the verdict, one section per failed target
 * (reason and diagnosis), then the passing targets packed into a few sections.
 *
 * @example
 * await postToResponseUrl(responseUrl, reportMessage(report, { scope: 'prod', requestedBy: 'U012AB3CD' }));
 */
export function reportMessage(report: RunReport, options: ReportMessageOptions = {}): SlackMessage {
  const { summary, results } = report;
  const failed = results.filter((r) => !r.ok);
  const passed = results.filter((r) => r.ok);
  const verdict =
    summary.failed === 0
      ? summary.total === 1
        ? 'The check passed'
        : `All ${summary.total} checks passed`
      : `${summary.failed} of ${summary.total} checks failed`;
  const icon = summary.failed === 0 ? ':white_check_mark:' : ':rotating_light:';
  const context = [
    `scope: ${escapeMrkdwn(options.scope || 'everything')}`,
    `${Math.round(summary.durationMs)} ms`,
  ];
  if (options.requestedBy) context.push(`asked by <@${escapeMrkdwn(options.requestedBy)}>`);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`scrape-check: ${verdict}`, 150) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] },
  ];
  const okLines = passed.map((r) => `:white_check_mark: ${target(r)} · ${facts(r)}`);
  const okBlocks = okLines.length > 0 ? [{ type: 'divider' } as const, ...packed(okLines)] : [];
  // Failures first; they get what room is left after the passing targets' few sections.
  const room = MAX_BLOCKS - blocks.length - Math.min(okBlocks.length, 6) - 1;
  const shown = failed.slice(0, room);
  for (const result of shown) blocks.push(section(failureText(result)));
  if (failed.length > shown.length) {
    blocks.push(
      section(`…and ${failed.length - shown.length} more failed targets (see the logs).`),
    );
  }
  blocks.push(...okBlocks.slice(0, MAX_BLOCKS - blocks.length));
  return {
    response_type: 'in_channel',
    replace_original: false,
    text: `${icon} scrape-check: ${verdict}`,
    blocks,
  };
}

/** A short message only the asker sees. */
export function ephemeral(text: string): SlackMessage {
  return { response_type: 'ephemeral', text };
}

/** The message posted to `response_url` when the run itself could not happen. */
export function errorMessage(what: string): SlackMessage {
  return {
    response_type: 'ephemeral',
    replace_original: false,
    text: `:warning: scrape-check could not run the checks: ${what}`,
  };
}

/** `/scrape-check help`. */
export function helpMessage(clusters: readonly string[], jobs: readonly string[]): SlackMessage {
  const lines = [
    '*/scrape-check* checks that Prometheus can scrape these targets, and says why not.',
    '• `/scrape-check` or `/scrape-check help`: this message',
    '• `/scrape-check all`: every check in the config',
    '• `/scrape-check prod`: every target of cluster `prod`',
    '• `/scrape-check prod apiserver`: one target of one cluster',
    '• `/scrape-check etcd`: one scrape job',
    `Clusters: ${clusters.length > 0 ? clusters.map((c) => `\`${escapeMrkdwn(c)}\``).join(', ') : 'none'}`,
    `Jobs: ${jobs.length > 0 ? jobs.map((j) => `\`${escapeMrkdwn(j)}\``).join(', ') : 'none'}`,
  ];
  return { response_type: 'ephemeral', text: lines.join('\n') };
}
