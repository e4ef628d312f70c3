/**
 * The run's results for people: one row per check (job, instance, verdict, reason, time, series,
 * days until the certificate expires), the diagnosis and warnings under a row that needs them, and a
 * one-line summary. Colour only on a terminal, and never when NO_COLOR is set.
 */
import type { CheckResult, RunReport } from '#lib/result/types.ts';
import { bold, dim, green, red, yellow } from './paint.ts';
import { wrap } from './wrap.ts';

/** How the table is drawn: for a terminal, or plain for a pipe. */
export interface TableStyle {
  color: boolean;
  /** Terminal width for wrapping diagnoses; 0 means do not wrap. */
  width: number;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)}s` : `${Math.round(ms)}ms`;
}

function certDays(result: CheckResult): string {
  const days = result.tls?.daysLeft;
  return days === null || days === undefined ? '-' : String(days);
}

/** The table, its diagnoses and warnings wrapped to `style.width`, and the summary line. */
export function renderTable(report: RunReport, style: TableStyle): string {
  const header = ['JOB', 'INSTANCE', 'VERDICT', 'REASON', 'TIME', 'SERIES', 'CERT DAYS'];
  const rows = report.results.map((r) => [
    r.cluster ? `${r.cluster}/${r.job}` : r.job,
    r.instance ?? '-',
    r.ok ? 'ok' : 'FAIL',
    r.reason,
    formatMs(r.durationMs),
    String(r.series),
    certDays(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const out: string[] = [bold(style.color, line(header))];
  report.results.forEach((r, i) => {
    const cells = rows[i]!;
    let text = line(cells);
    if (style.color) {
      const verdictStart = widths[0]! + widths[1]! + 4;
      const verdict = cells[2]!.padEnd(widths[2]!);
      text =
        text.slice(0, verdictStart) +
        (r.ok ? green(true, verdict) : red(true, verdict)) +
        text.slice(verdictStart + verdict.length);
    }
    out.push(text);
    if (!r.ok) out.push(...wrap(r.diagnosis, style.width, '    ').map((l) => dim(style.color, l)));
    for (const warning of r.warnings)
      out.push(
        ...wrap(`warning: ${warning}`, style.width, '    ').map((l) => yellow(style.color, l)),
      );
  });
  // Jobs scrape-check cannot check are said, never silently gone (a discovery it lacks).
  for (const s of report.skipped) {
    out.push(
      ...wrap(`not checked: ${s.job}: ${s.why}`, style.width, '').map((l) =>
        yellow(style.color, l),
      ),
    );
  }
  const { total, ok, failed, skipped, durationMs } = report.summary;
  const notChecked = skipped > 0 ? `, ${skipped} job${skipped === 1 ? '' : 's'} not checked` : '';
  const summary = `${total} check${total === 1 ? '' : 's'}: ${ok} ok, ${failed} failed${notChecked} in ${formatMs(durationMs)}`;
  out.push('', failed > 0 ? red(style.color, summary) : green(style.color, summary));
  return `${out.join('\n')}\n`;
}
