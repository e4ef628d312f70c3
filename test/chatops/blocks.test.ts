import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeMrkdwn, reportMessage } from '#lib/chatops/index.ts';
import type { RunReport } from '#lib/result/types.ts';
import { makeFailedClusterResult, makeResult } from '../sinks/fixtures.ts';

function report(results: RunReport['results']): RunReport {
  const ok = results.filter((r) => r.ok).length;
  return {
    summary: {
      total: results.length,
      ok,
      failed: results.length - ok,
      skipped: 0,
      durationMs: 812,
    },
    results,
    skipped: [],
  };
}

test('blocks: verdict, reason and diagnosis per failed target; passing targets packed', () => {
  const message = reportMessage(
    report([makeResult(), makeFailedClusterResult({ diagnosis: 'RBAC says <no> & never' })]),
    { scope: 'prod', requestedBy: 'U1' },
  );
  assert.equal(message.text, ':rotating_light: scrape-check: 1 of 2 checks failed');
  assert.deepEqual(
    message.blocks?.map((b) => b.type),
    ['header', 'context', 'section', 'divider', 'section'],
  );
  const failed = message.blocks[2];
  assert.ok(failed?.type === 'section');
  assert.equal(
    failed.text.text,
    ':x: *apiserver* (prod) `10.0.0.1:443`\n*http_forbidden*: RBAC says &lt;no&gt; &amp; never\nHTTP 403 · 14 ms',
  );
  const ok = message.blocks[4];
  assert.ok(ok?.type === 'section');
  assert.equal(
    ok.text.text,
    ':white_check_mark: *etcd* `127.0.0.1:2379` · 14 ms · 42 series · cert 37 d',
  );
});

test("blocks: a thousand targets stay within Slack's limits", () => {
  const results = Array.from({ length: 1000 }, (_, i) =>
    i % 2 === 0
      ? makeResult({ instance: `10.0.${i >> 8}.${i & 255}:9100` })
      : makeFailedClusterResult({ diagnosis: 'x'.repeat(4000) }),
  );
  const message = reportMessage(report(results));
  const blocks = message.blocks ?? [];
  assert.ok(blocks.length <= 50, `${blocks.length} blocks`);
  for (const block of blocks) {
    if (block.type === 'section') assert.ok(block.text.text.length <= 3000);
    if (block.type === 'header') assert.ok(block.text.text.length <= 150);
  }
  assert.ok(
    blocks.some((b) => b.type === 'section' && /…and \d+ more failed targets/.test(b.text.text)),
  );
  assert.equal(message.text, ':rotating_light: scrape-check: 500 of 1000 checks failed');
});

test('blocks: all passed', () => {
  const message = reportMessage(report([makeResult()]));
  assert.equal(message.text, ':white_check_mark: scrape-check: The check passed');
  assert.equal(escapeMrkdwn('<@U1> & <!channel>'), '&lt;@U1&gt; &amp; &lt;!channel&gt;');
});
