#!/usr/bin/env node
// The entry point: refuses an old Node with a clear message, then hands over to lib/cli.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `scrape-check needs Node 24 or later (this is ${process.version}); ` +
      'run it through npm (npx scrape-check, npm start), which uses the Node the project installs.\n',
  );
  process.exit(2);
}
const { main } = await import('../lib/cli/main.ts');
try {
  process.exitCode = await main(process.argv.slice(2), process.env, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
  });
} catch (error) {
  // A crash is scrape-check's bug, not a failed check (1) nor bad usage (2): say so, exit 70
  // (EX_SOFTWARE), so scripts and alarms can tell the three apart.
  process.stderr.write(
    `scrape-check: internal error (a bug in scrape-check; please report it with this message):\n${
      error instanceof Error ? (error.stack ?? error.message) : String(error)
    }\n`,
  );
  process.exitCode = 70;
}
