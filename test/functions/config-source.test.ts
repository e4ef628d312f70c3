import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startFakeAws, useFakeAws, type FakeAws } from './fake-aws.ts';

const CONFIG =
  'scrape_configs:\n  - job_name: etcd\n    static_configs: [{ targets: ["127.0.0.1:2379"] }]\n';

let aws: FakeAws;
let source: typeof import('#lib/config/source.ts');

before(async () => {
  aws = await startFakeAws();
  useFakeAws(aws.url);
  aws.objects.set('ops-config/scrape-check/config.yaml', CONFIG);
  aws.parameters.set('/scrape-check/config', CONFIG);
  source = await import('#lib/config/source.ts');
});

after(async () => {
  await aws.close();
});

test('source: the three kinds of location', () => {
  assert.deepEqual(source.parseConfigLocation('s3://b/k/x.yaml'), {
    kind: 's3',
    bucket: 'b',
    key: 'k/x.yaml',
  });
  assert.deepEqual(source.parseConfigLocation('ssm:/a/b'), { kind: 'ssm', name: '/a/b' });
  assert.equal(source.parseConfigLocation('scrape-check.yaml').kind, 'file');
  assert.throws(() => source.parseConfigLocation('s3://bucket-only'), /s3:\/\/bucket\/key/);
});

test('source: from S3 and from SSM', async () => {
  for (const location of ['s3://ops-config/scrape-check/config.yaml', 'ssm:/scrape-check/config']) {
    const result = await source.loadConfigFrom(location);
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.equal(result.config.scrape_configs[0]?.job_name, 'etcd');
    assert.equal(result.origin, location);
  }
});

test('source: a missing object, parameter or file is a problem naming the location', async () => {
  const s3 = await source.loadConfigFrom('s3://ops-config/nope.yaml');
  assert.ok(!s3.ok);
  assert.match(s3.message, /^s3:\/\/ops-config\/nope\.yaml: cannot be read: NoSuchKey/);
  const ssm = await source.loadConfigFrom('ssm:/nope');
  assert.ok(!ssm.ok);
  assert.match(ssm.message, /^ssm:\/nope: cannot be read: ParameterNotFound/);
  const file = await source.loadConfigFrom('/nonexistent/scrape-check.yaml');
  assert.ok(!file.ok);
  assert.match(file.message, /no such file/);
});

test('source: the cache reuses a good config within its TTL and retries a failed one', async () => {
  let now = 0;
  const cache = source.createConfigCache({ ttlMs: 1000, now: () => now });
  const gets = () =>
    aws.calls.filter((c) => c.headers['x-amz-target'] === 'AmazonSSM.GetParameter').length;
  const before = gets();
  await cache.load('ssm:/scrape-check/config');
  await cache.load('ssm:/scrape-check/config');
  assert.equal(gets() - before, 1);
  now = 1000;
  await cache.load('ssm:/scrape-check/config');
  assert.equal(gets() - before, 2);
  await cache.load('ssm:/nope');
  await cache.load('ssm:/nope');
  assert.equal(gets() - before, 4, 'failures are not cached');
});
