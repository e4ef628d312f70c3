import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSecretCache, parseSecretLocation, ReplayGuard } from '#lib/chatops/index.ts';

test('replay: a key is remembered for the window, then forgotten', () => {
  const guard = new ReplayGuard({ ttlMs: 1000, capacity: 3 });
  guard.add('a', 0);
  assert.equal(guard.has('a', 999), true);
  assert.equal(guard.has('a', 1000), false);
  guard.add('b', 10);
  guard.add('c', 20);
  guard.add('d', 30);
  guard.add('e', 40);
  assert.equal(guard.has('b', 50), false, 'the oldest goes first past the capacity');
  assert.equal(guard.has('e', 50), true);
  guard.delete('e');
  assert.equal(guard.has('e', 50), false);
});

test('secret: locations, and one fetch shared until the cache expires', async () => {
  assert.deepEqual(parseSecretLocation('ssm:/a/b'), { kind: 'ssm', name: '/a/b' });
  assert.deepEqual(
    parseSecretLocation('secretsmanager:arn:aws:secretsmanager:eu-west-1:1:secret:x'),
    { kind: 'secretsmanager', id: 'arn:aws:secretsmanager:eu-west-1:1:secret:x' },
  );
  assert.throws(() => parseSecretLocation('abc123'), /never the secret itself/);
  let now = 0;
  let fetches = 0;
  const cache = createSecretCache({
    ttlMs: 100,
    now: () => now,
    fetch: () => Promise.resolve(`s${++fetches}`),
  });
  assert.deepEqual(await Promise.all([cache.get('ssm:/x'), cache.get('ssm:/x')]), ['s1', 's1']);
  now = 99;
  assert.equal(await cache.get('ssm:/x'), 's1');
  now = 100;
  assert.equal(await cache.get('ssm:/x'), 's2');
  const failing = createSecretCache({ fetch: () => Promise.reject(new Error('denied')) });
  await assert.rejects(failing.get('ssm:/y'), /denied/);
});
