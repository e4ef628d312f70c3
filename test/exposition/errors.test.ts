/**
 * Every rejection, from one table: input → exact `line:column: message` (Prometheus
 * `promparse_test.go` / `openmetricsparse_test.go` style; undici `test/errors.js` for the
 * one-table idea).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExposition } from '#lib/exposition/index.ts';
import { caseBytes, ERROR_CASES } from './error-cases.ts';
import { outcome } from './helpers.ts';

for (const c of ERROR_CASES) {
  test(`${c.format} ${JSON.stringify(c.input)} (${c.why})`, () => {
    const options = c.maxLineBytes === undefined ? {} : { maxLineBytes: c.maxLineBytes };
    const r = parseExposition(caseBytes(c), { format: c.format, ...options });
    assert.equal(outcome(r), c.error);
    assert.match(r.error?.message ?? '', /^expected .+, got .+$/s);
  });
}

test('every message follows "expected …, got …"', () => {
  assert.ok(ERROR_CASES.length > 90);
});
