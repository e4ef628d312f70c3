/**
 * `scrape-check lab` (`npm start`): brings up loopback endpoints that reproduce the breakages users
 * meet, checks them all with the real runner, prints the table, and says whether every case got the
 * reason it should. Exit 0 when the lab worked (every case as expected), 1 when one did not.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '#lib/config/index.ts';
import { renderTable } from '#lib/cli/table.ts';
import { UsageError, type Io } from '#lib/cli/io.ts';
import { runChecks } from '#lib/runner/index.ts';
import type { RunReport } from '#lib/result/types.ts';
import { LAB_CASES, type LabCase } from './cases.ts';
import { startLab } from './servers.ts';

export interface LabRun {
  report: RunReport;
  /** Cases whose reason was not the expected one. */
  mismatches: { job: string; expected: string; got: string }[];
  secrets: string[];
}

/** Runs the lab's cases and shuts everything down; for the command and for tests. */
export async function runLab(cases: readonly LabCase[] = LAB_CASES): Promise<LabRun> {
  const lab = await startLab(cases);
  try {
    const parsed = await parseConfig(lab.configText, join(lab.dir, 'scrape-check.yaml'), lab.dir);
    if (!parsed.ok) throw new Error(`the lab's own config is invalid (a bug): ${parsed.message}`);
    const report = await runChecks(parsed.config, { concurrency: cases.length });
    const mismatches = cases.flatMap((c) => {
      const result = report.results.find((r) => r.job === c.job);
      return result?.reason === c.expect
        ? []
        : [{ job: c.job, expected: c.expect, got: result?.reason ?? 'no result' }];
    });
    return { report, mismatches, secrets: lab.secrets };
  } finally {
    await lab.close();
  }
}

export async function labCommand(args: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (positionals.length > 0)
    throw new UsageError(
      `scrape-check lab takes no arguments, got ${JSON.stringify(positionals[0])}`,
    );
  const run = await runLab();
  if (values.json) {
    io.stdout.write(`${JSON.stringify(run.report, null, 2)}\n`);
  } else {
    const color = io.stdout.isTTY === true && !env.NO_COLOR;
    io.stdout.write(
      `scrape-check lab: ${LAB_CASES.length} endpoints on 127.0.0.1, each reproducing a breakage Prometheus users meet\n\n`,
    );
    io.stdout.write(
      renderTable(run.report, { color, width: io.stdout.isTTY ? (io.stdout.columns ?? 100) : 0 }),
    );
    io.stdout.write(
      run.mismatches.length === 0
        ? `\nthe lab works: every case gave the reason it reproduces (${run.report.summary.ok} pass as they should, ${run.report.summary.failed} fail as they should)\n`
        : `\nthe lab did NOT work: ${run.mismatches.map((m) => `${m.job} gave ${m.got}, expected ${m.expected}`).join('; ')}\n`,
    );
  }
  return run.mismatches.length === 0 ? 0 : 1;
}
