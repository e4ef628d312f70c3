// @ts-check
/**
 * osls's door to packaging/stack.ts: serverless.yml reads `${file(./packaging/resources.cjs):statements.check}`,
 * `:patterns`, `:vpc` and so on; osls require()s this file and calls the exported function, offline.
 * The work is in TypeScript (packaging/*.ts, through the project's own config loader): Node 24
 * imports it directly (type stripping), which is why serverless runs under the project's Node
 * (`npx serverless …`).
 */
'use strict';

/** @type {Promise<import('./stack.ts').StackParts> | undefined} */
let parts;
/** Messages already printed. */
const said = new Set();

/** @param {{ resolveVariable: (v: string) => Promise<unknown> }} context @param {string} name @param {string} fallback */
async function param({ resolveVariable }, name, fallback) {
  return String(await resolveVariable(`param:${name}, '${fallback}'`));
}

/** @param {{ resolveVariable: (v: string) => Promise<unknown> }} context */
async function compute(context) {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) {
    throw new Error(
      `scrape-check packages with Node 24 (this is Node ${process.versions.node}): run it as npx serverless …, which puts the project's Node first`,
    );
  }
  /** @type {import('./stack.ts')} */
  const stack = await import('./stack.ts');
  const { resolveVariable } = context;
  const result = await stack.buildStack({
    service: String(await resolveVariable('self:service')),
    stage: String(await resolveVariable('sls:stage')),
    region: String(await resolveVariable('self:provider.region')),
    serviceDir: process.cwd(),
    config: await param(context, 'config', 'scrape-check.yaml'),
    configFile: await param(context, 'configFile', ''),
    slackSecret: await param(context, 'slackSecret', 'ssm:/scrape-check/slack-signing-secret'),
    schedule: await param(context, 'schedule', 'rate(5 minutes)'),
    subnetIds: await param(context, 'subnetIds', ''),
    securityGroupIds: await param(context, 'securityGroupIds', ''),
    targetAlarms: await param(context, 'targetAlarms', 'true'),
    accessEntries: await param(context, 'accessEntries', 'true'),
  });
  for (const note of result.notes) process.stderr.write(`scrape-check: ${note}\n`);
  return result;
}

/**
 * @param {{ resolveVariable: (v: string) => Promise<unknown> }} context
 * osls rewrites resolved values in place: each reference gets its own copy.
 */
module.exports = async (context) => {
  // osls resolves in passes, and a pass may refuse a variable it resolves later (a deferred
  // source): a failed computation is not kept, the next reference tries again.
  parts ??= compute(context).catch((/** @type {unknown} */ error) => {
    parts = undefined;
    if (!(error instanceof Error) || error.name !== 'PackagingError') throw error;
    // osls repeats the error for every reference to this file, with its stack: say it once, in
    // full, and let each reference point at it.
    if (!said.has(error.message)) process.stderr.write(`scrape-check: ${error.message}\n`);
    said.add(error.message);
    const short = new Error(`scrape-check cannot package: ${error.message.split('\n')[0] ?? ''}`);
    short.stack = short.message;
    throw short;
  });
  return structuredClone(await parts);
};
