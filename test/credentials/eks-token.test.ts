/**
 * The EKS token against the references: byte for byte what `/usr/bin/aws eks get-token` prints
 * for the same credentials and second, what awscli's TokenGenerator makes at fixed times, and a
 * signature Debian's python3-botocore recomputes. Also checks that the emulator and the local
 * AWS endpoints really refuse bad signatures, so the other tests prove something.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import {
  EKS_TOKEN_PREFIX,
  makeEksToken,
  resetCredentialCache,
  stsHost,
} from '#lib/credentials/index.ts';
import { planCluster } from '#lib/targets/cluster.ts';
import { AWS_CLI, Botocore, skipWithoutBotocore } from '../aws/botocore.ts';
import { verifyEksToken } from '../k8s/emulator-auth.ts';
import { assertNoSecrets, DEFAULTS, planOutputs } from './helpers.ts';
import { eksFixture, SA, type EksFixture } from './fixtures.ts';

const skip = skipWithoutBotocore();

const CREDS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE/session+token==',
};

function decode(token: string): URL {
  return new URL(Buffer.from(token.slice(EKS_TOKEN_PREFIX.length), 'base64url').toString('utf8'));
}

function amzDateToDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  assert.ok(m !== null);
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
}

describe('the EKS token', { skip }, () => {
  let awscli: Botocore;
  let botocore: Botocore;
  before(() => {
    awscli = new Botocore({ awscli: true });
    botocore = new Botocore();
  });
  after(() => {
    awscli.close();
    botocore.close();
  });

  it('is byte for byte what /usr/bin/aws eks get-token prints for the same credentials and second', async () => {
    for (const creds of [
      CREDS,
      { accessKeyId: CREDS.accessKeyId, secretAccessKey: CREDS.secretAccessKey },
    ]) {
      const out = execFileSync(
        AWS_CLI,
        ['eks', 'get-token', '--cluster-name', 'prod-eks', '--region', 'eu-west-1'],
        {
          env: {
            PATH: process.env.PATH,
            HOME: '/nonexistent',
            AWS_CONFIG_FILE: '/nonexistent/config',
            AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
            AWS_ACCESS_KEY_ID: creds.accessKeyId,
            AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
            ...('sessionToken' in creds ? { AWS_SESSION_TOKEN: creds.sessionToken } : {}),
          },
          encoding: 'utf8',
        },
      );
      const theirs = (JSON.parse(out) as { status: { token: string } }).status.token;
      const signed = decode(theirs).searchParams.get('X-Amz-Date') ?? '';
      const ours = await makeEksToken({
        cluster: 'prod-eks',
        region: 'eu-west-1',
        credentials: creds,
        signingDate: amzDateToDate(signed),
      });
      assert.equal(ours, theirs);
    }
  });

  it("matches awscli's TokenGenerator at fixed times, in every region form, with and without a session token", async () => {
    const cases = [
      { cluster: 'prod-eks', region: 'eu-west-1', at: '2026-01-02T03:04:05Z', creds: CREDS },
      { cluster: 'a.b_c-d', region: 'us-east-1', at: '2025-12-31T23:59:59Z', creds: CREDS },
      {
        cluster: 'prod',
        region: 'ap-southeast-2',
        at: '2024-02-29T12:00:00Z',
        creds: { accessKeyId: CREDS.accessKeyId, secretAccessKey: CREDS.secretAccessKey },
      },
      { cluster: 'gov', region: 'us-gov-west-1', at: '2026-06-01T00:00:00Z', creds: CREDS },
      { cluster: 'beijing', region: 'cn-north-1', at: '2026-06-01T00:00:00Z', creds: CREDS },
    ];
    for (const c of cases) {
      const at = new Date(c.at);
      const amz = c.at.replace(/[-:]/g, '');
      const reference = await awscli.eksToken(c.cluster, c.region, amz, c.creds);
      const ours = await makeEksToken({
        cluster: c.cluster,
        region: c.region,
        credentials: c.creds,
        signingDate: at,
      });
      assert.equal(ours, reference, `${c.cluster} in ${c.region}`);
      const url = decode(ours);
      assert.equal(url.host, stsHost(c.region));
      assert.equal(url.searchParams.get('X-Amz-Expires'), '60');
      assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'host;x-k8s-aws-id');
      assert.doesNotMatch(ours, /=/, 'base64url without padding');
    }
  });

  it('carries a signature that python3-botocore recomputes, and only for its own cluster', async () => {
    const token = await makeEksToken({
      cluster: 'prod-eks',
      region: 'eu-west-1',
      credentials: CREDS,
      signingDate: new Date(),
    });
    const url = decode(token).href;
    const unsigned = url.replace(/&X-Amz-Signature=[0-9a-f]+$/, '');
    const signature = decode(token).searchParams.get('X-Amz-Signature');
    assert.equal(
      await botocore.presignSignature(
        unsigned,
        { 'x-k8s-aws-id': 'prod-eks' },
        'sts',
        'eu-west-1',
        CREDS,
      ),
      signature,
    );
    assert.notEqual(
      await botocore.presignSignature(
        unsigned,
        { 'x-k8s-aws-id': 'other' },
        'sts',
        'eu-west-1',
        CREDS,
      ),
      signature,
    );
  });
});

describe('the test endpoints refuse what they must', { skip }, () => {
  let fx: EksFixture;
  before(async () => {
    fx = await eksFixture();
  });
  after(async () => {
    await fx.close();
  });

  it('the emulator refuses EKS tokens with a wrong secret, for another cluster, too old, or from an unknown key', async () => {
    const now = new Date();
    const ctx = {
      clusterName: fx.clusterName,
      region: fx.region,
      world: fx.world,
      botocore: fx.botocore,
      now: now.getTime(),
    };
    const good = await makeEksToken({
      cluster: fx.clusterName,
      region: fx.region,
      credentials: fx.user,
      signingDate: now,
    });
    assert.equal((await verifyEksToken(good, ctx)).ok, true);
    const wrongSecret = await makeEksToken({
      cluster: fx.clusterName,
      region: fx.region,
      credentials: { ...fx.user, secretAccessKey: `${fx.user.secretAccessKey}x` },
      signingDate: now,
    });
    assert.deepEqual(await verifyEksToken(wrongSecret, ctx), {
      ok: false,
      why: 'signature mismatch',
    });
    const otherCluster = await makeEksToken({
      cluster: 'other',
      region: fx.region,
      credentials: fx.user,
      signingDate: now,
    });
    assert.deepEqual(await verifyEksToken(otherCluster, ctx), {
      ok: false,
      why: 'signature mismatch',
    });
    const otherRegion = await makeEksToken({
      cluster: fx.clusterName,
      region: 'us-west-2',
      credentials: fx.user,
      signingDate: now,
    });
    assert.equal((await verifyEksToken(otherRegion, ctx)).ok, false);
    assert.deepEqual(await verifyEksToken(good, { ...ctx, now: now.getTime() + 16 * 60_000 }), {
      ok: false,
      why: 'X-Amz-Date is not within 15 minutes',
    });
    const stranger = await makeEksToken({
      cluster: fx.clusterName,
      region: fx.region,
      credentials: { ...fx.user, accessKeyId: 'AKIANOTKNOWN0000000' },
      signingDate: now,
    });
    assert.deepEqual(await verifyEksToken(stranger, ctx), { ok: false, why: 'unknown access key' });
  });

  it('the local EKS refuses a request signed with the wrong secret, and the diagnosis says the credentials were rejected', async () => {
    resetCredentialCache();
    const saved = process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_SECRET_ACCESS_KEY = `${saved ?? ''}tampered`;
    try {
      const plan = await planCluster(
        {
          name: 'prod',
          eks: { cluster: fx.clusterName, region: fx.region },
          service_account: { namespace: SA.namespace, name: SA.name },
          targets: ['apiserver'],
        },
        DEFAULTS,
      );
      assert.equal(plan.failures[0]?.reason, 'credentials_failed');
      assert.match(plan.failures[0].diagnosis, /InvalidSignatureException/);
      assert.match(plan.failures[0].diagnosis, /rejected the signing credentials/);
      assertNoSecrets(planOutputs(plan), [...fx.secrets(), process.env.AWS_SECRET_ACCESS_KEY]);
    } finally {
      process.env.AWS_SECRET_ACCESS_KEY = saved;
      resetCredentialCache();
    }
  });
});
