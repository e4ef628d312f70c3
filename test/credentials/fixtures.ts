/**
 * Worlds for the credentials tests, each started on 127.0.0.1 port 0 and stopped by the test:
 * an EKS one (fake AWS account, local EKS/STS endpoints, an EKS-flavoured emulator that accepts
 * `k8s-aws-v1.` tokens through access entries) and a self-managed one (an emulator reached
 * through a kubeconfig). Both carry the RBAC of deploy/kubernetes/*.yaml.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { Botocore } from '../aws/botocore.ts';
import { LocalAws } from '../aws/local-aws.ts';
import { AwsWorld, type Principal, type Role } from '../aws/world.ts';
import { K8sEmulator, type EmulatorOptions } from '../k8s/emulator.ts';

const DEPLOY = new URL('../../deploy/kubernetes/', import.meta.url);
export const CHECKER_GROUP = 'scrape-check-checkers';
export const SA = { namespace: 'monitoring', name: 'scrape-check' } as const;

/** Loads the repository's deploy manifests into an emulator. */
export function applyDeploy(emu: K8sEmulator): void {
  emu.applyYaml(readFileSync(new URL('scraper-rbac.yaml', DEPLOY), 'utf8'));
  emu.applyYaml(readFileSync(new URL('checker-rbac.yaml', DEPLOY), 'utf8'));
}

export interface EksFixture {
  world: AwsWorld;
  botocore: Botocore;
  aws: LocalAws;
  emu: K8sEmulator;
  /** The base identity (the "Lambda execution role" of the default chain), an IAM user here. */
  user: Principal;
  role: Role;
  externalId: string;
  clusterName: string;
  region: string;
  secrets(): string[];
  close(): Promise<void>;
}

/** Points the AWS SDK at the local endpoints and the fake base credentials, and nothing else. */
export function awsEnv(aws: LocalAws, user: Principal): void {
  const env = process.env;
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  delete env.AWS_ROLE_ARN;
  delete env.AWS_WEB_IDENTITY_TOKEN_FILE;
  env.AWS_ACCESS_KEY_ID = user.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY = user.secretAccessKey;
  env.AWS_ENDPOINT_URL_EKS = aws.url;
  env.AWS_ENDPOINT_URL_STS = aws.url;
  env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
  env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
  env.AWS_EC2_METADATA_DISABLED = 'true';
}

export async function eksFixture(options: Partial<EmulatorOptions> = {}): Promise<EksFixture> {
  const world = new AwsWorld();
  const botocore = new Botocore();
  const user = world.addUser('lambda-exec');
  const externalId = `ext-${randomBytes(6).toString('hex')}`;
  const role = world.addRole('scrape-check', [user.principalArn], externalId);
  const clusterName = 'prod-eks';
  const region = 'eu-west-1';
  const emu = await K8sEmulator.start({
    flavor: 'eks',
    eks: {
      clusterName,
      region,
      world,
      botocore,
      accessEntries: [
        { principalArn: role.arn, groups: [CHECKER_GROUP] },
        { principalArn: user.principalArn, groups: [CHECKER_GROUP] },
      ],
    },
    ...options,
  });
  applyDeploy(emu);
  const aws = await new LocalAws(world, botocore).start();
  aws.clusters.set(clusterName, {
    name: clusterName,
    endpoint: emu.url,
    caPem: emu.ca.certPem,
    version: options.version ?? '1.30',
    status: 'ACTIVE',
  });
  awsEnv(aws, user);
  return {
    world,
    botocore,
    aws,
    emu,
    user,
    role,
    externalId,
    clusterName,
    region,
    secrets: () => [...world.secrets(), ...emu.secretValues()],
    async close() {
      await aws.stop();
      await emu.stop();
      botocore.close();
    },
  };
}

export interface SelfManagedFixture {
  emu: K8sEmulator;
  dir: string;
  /** A kubeconfig whose user is the checker, with a static bearer token. */
  kubeconfig: string;
  checkerToken: string;
  /** Writes another kubeconfig into the fixture's directory. */
  writeKubeconfig(name: string, user: Record<string, unknown>, context?: string): string;
  close(): Promise<void>;
}

export async function selfManagedFixture(
  options: Partial<EmulatorOptions> = {},
): Promise<SelfManagedFixture> {
  const emu = await K8sEmulator.start({ flavor: 'self-managed', ...options });
  applyDeploy(emu);
  const checkerToken = `checker-${randomBytes(16).toString('hex')}`;
  emu.staticTokens.set(checkerToken, {
    username: 'scrape-check-checker',
    groups: [CHECKER_GROUP, 'system:authenticated'],
  });
  emu.tokens.add(checkerToken);
  const dir = mkdtempSync(join(tmpdir(), 'scrape-check-creds-'));
  const writeKubeconfig = (
    name: string,
    user: Record<string, unknown>,
    context = 'lab',
  ): string => {
    const file = join(dir, name);
    writeFileSync(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'lab',
            cluster: {
              server: emu.url,
              'certificate-authority-data': Buffer.from(emu.ca.certPem).toString('base64'),
            },
          },
        ],
        users: [{ name: 'checker', user }],
        contexts: [{ name: context, context: { cluster: 'lab', user: 'checker' } }],
        'current-context': context,
      }),
    );
    return file;
  };
  const kubeconfig = writeKubeconfig('kubeconfig', { token: checkerToken });
  return {
    emu,
    dir,
    kubeconfig,
    checkerToken,
    writeKubeconfig,
    async close() {
      await emu.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
