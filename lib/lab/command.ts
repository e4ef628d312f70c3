/**
 * `scrape-check lab` (`npm start`): brings up loopback endpoints that reproduce the breakages users
 * meet, checks them all with the real runner, prints the table (or, with `--json`, each case's
 * expected and actual reason), and says whether every case gave the reason it reproduces. With
 * `--keep` the endpoints stay up, with a prometheus.yml for them, until Ctrl-C or SIGTERM.
 * Exit 0 when the lab worked (every case as expected), 1 when one did not.
 */
import { parseConfig } from '#lib/config/index.ts';
import { LAB } from '#lib/cli/commands.ts';
import { type Io } from '#lib/cli/io.ts';
import { parseCommandArgs } from '#lib/cli/options.ts';
import { renderTable } from '#lib/cli/table.ts';
import { runChecks } from '#lib/runner/index.ts';
import type { RunReport } from '#lib/result/types.ts';
import { LAB_CASES, type LabCase } from './cases.ts';
import { startLab, type Lab } from './servers.ts';

/** One case's outcome: what it should give, what it gave. */
export interface LabOutcome {
  job: string;
  title: string;
  expected: string;
  got: string;
  pass: boolean;
}

/** A lab run: the run's own document, each case's outcome, and the secrets the lab made. */
export interface LabRun {
  report: RunReport;
  /** Every case, in the lab's order. */
  cases: LabOutcome[];
  secrets: string[];
}

async function checkLab(lab: Lab, cases: readonly LabCase[]): Promise<LabRun> {
  const parsed = await parseConfig(lab.configText, lab.configFile, lab.dir);
  if (!parsed.ok) throw new Error(`the lab's own config is invalid (a bug): ${parsed.message}`);
  const report = await runChecks(parsed.config, { concurrency: cases.length });
  const outcomes = cases.map((c) => {
    const got = report.results.find((r) => r.job === c.job)?.reason ?? 'no result';
    return { job: c.job, title: c.title, expected: c.expect, got, pass: got === c.expect };
  });
  return { report, cases: outcomes, secrets: lab.secrets };
}

/** Runs the lab's cases and shuts everything down; for the command and for tests. */
export async function runLab(cases: readonly LabCase[] = LAB_CASES): Promise<LabRun> {
  const lab = await startLab(cases);
  try {
    return await checkLab(lab, cases);
  } finally {
    await lab.close();
  }
}

/** The `--json` document: per case what it should give and gave, then the run's own document. */
function labDocument(run: LabRun, lab: Lab, keep: boolean): unknown {
  const passed = run.cases.filter((c) => c.pass).length;
  return {
    summary: {
      cases: run.cases.length,
      passed,
      failed: run.cases.length - passed,
      durationMs: run.report.summary.durationMs,
    },
    cases: run.cases,
    report: run.report,
    ...(keep ? { keep: { configFile: lab.configFile, dir: lab.dir } } : {}),
  };
}

function verdictLine(run: LabRun): string {
  const missed = run.cases.filter((c) => !c.pass);
  if (missed.length > 0) {
    const list = missed.map((m) => `${m.job} gave ${m.got}, expected ${m.expected}`).join('; ');
    return `the lab did NOT work: ${list}`;
  }
  const { ok, failed } = run.report.summary;
  return `the lab works: every case gave the reason it reproduces (${ok} pass as they should, ${failed} fail as they should)`;
}

/** The prometheus.yml of a kept lab, with how to use it in comments (YAML still). */
function keptConfig(lab: Lab, cases: readonly LabCase[]): string {
  const differ = cases.filter((c) => c.prometheus2 !== undefined);
  return [
    `# prometheus.yml for the lab's ${cases.length} endpoints (also at ${lab.configFile}):`,
    `#   prometheus --config.file=${lab.configFile}`,
    `#   npx scrape-check run --config ${lab.configFile}`,
    "# The verdicts above are Prometheus 3's; Prometheus 2 differs on " +
      (differ.map((c) => `${c.job} (${c.prometheus2 ?? ''})`).join(', ') || 'none') +
      '.',
    '# The endpoints stay up until Ctrl-C or SIGTERM; then the lab closes them and removes its folder.',
    lab.configText.trimEnd(),
    '',
  ].join('\n');
}

/** Resolves on the first SIGINT or SIGTERM (then the lab closes, rather than the process dying). */
function untilSignalled(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * Runs `scrape-check lab` (options in lib/cli/commands.ts) and returns its exit code. `stop` ends
 * a kept lab (default: Ctrl-C or SIGTERM); tests pass their own.
 */
export async function labCommand(
  args: string[],
  io: Io,
  env: NodeJS.ProcessEnv,
  stop: () => Promise<void> = untilSignalled,
): Promise<number> {
  const parsed = parseCommandArgs(LAB, args);
  const keep = parsed.flag('keep');
  const lab = await startLab(LAB_CASES);
  try {
    // Listening before the checks: a signal during them still closes the lab.
    const stopped = keep ? stop() : null;
    const run = await checkLab(lab, LAB_CASES);
    if (parsed.flag('json')) {
      io.stdout.write(`${JSON.stringify(labDocument(run, lab, keep), null, 2)}\n`);
    } else {
      const color = io.stdout.isTTY === true && !env.NO_COLOR;
      io.stdout.write(
        `scrape-check lab: ${LAB_CASES.length} endpoints on 127.0.0.1, each reproducing a breakage Prometheus users meet\n\n`,
      );
      io.stdout.write(
        renderTable(run.report, { color, width: io.stdout.isTTY ? (io.stdout.columns ?? 100) : 0 }),
      );
      io.stdout.write(`\n${verdictLine(run)}\n`);
      if (keep) io.stdout.write(`\n${keptConfig(lab, LAB_CASES)}`);
    }
    if (stopped !== null) {
      io.stderr.write('scrape-check lab: the endpoints are up until Ctrl-C or SIGTERM\n');
      await stopped;
    }
    return run.cases.every((c) => c.pass) ? 0 : 1;
  } finally {
    await lab.close();
  }
}
