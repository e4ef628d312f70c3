/**
 * What `serverless.yml` takes from the config at package time, computed once, offline: each role's
 * statements, the files every zip ships, the VPC placement, the EKS access entries, alarms and the
 * dashboard. `packaging/resources.cjs` hands it to osls.
 */
import { readDeployConfig, PackagingError } from './config.ts';
import { functionStatements, sub, type Statement } from './iam.ts';
import { alarmPeriod, monitoringResources, shortHash } from './monitoring.ts';

export { PackagingError } from './config.ts';

/** The Kubernetes group `deploy/kubernetes/checker-rbac.yaml` binds; access entries map to it. */
export const CHECKER_GROUP = 'scrape-check-checkers';

/** The roles of the functions that run checks, and so reach clusters. */
export const CHECKING_ROLES = ['ScheduledRole', 'WorkerRole', 'CheckRole'] as const;
const ALL_ROLES = [...CHECKING_ROLES, 'ChatopsRole'] as const;

/** The `--param` values (with their defaults) and where the service lives. */
export interface StackParams {
  service: string;
  stage: string;
  region: string;
  serviceDir: string;
  config: string;
  configFile: string;
  slackSecret: string;
  schedule: string;
  subnetIds: string;
  securityGroupIds: string;
  targetAlarms: string;
  accessEntries: string;
}

export interface StackParts {
  statements: Record<'scheduled' | 'worker' | 'check' | 'chatops', Statement[]>;
  /** `package.patterns`: the bundle config and the files it names. */
  patterns: string[];
  /** `provider.vpc`, or null outside a VPC. */
  vpc: { subnetIds: string[]; securityGroupIds: string[] } | null;
  /** Each role's `ManagedPolicyArns` (the VPC execution policy when in a VPC). */
  managedPolicies: unknown[];
  resources: { Resources: Record<string, unknown>; Outputs: Record<string, unknown> };
  notes: string[];
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function flag(name: string, value: string): boolean {
  if (value === 'true' || value === '') return true;
  if (value === 'false') return false;
  throw new PackagingError(`--param ${name}=${value}: expected true or false`);
}

function vpcOf(params: StackParams): StackParts['vpc'] {
  const subnetIds = list(params.subnetIds);
  const securityGroupIds = list(params.securityGroupIds);
  if (subnetIds.length === 0 && securityGroupIds.length === 0) return null;
  if (subnetIds.length === 0 || securityGroupIds.length === 0) {
    throw new PackagingError(
      '--param subnetIds and --param securityGroupIds go together: a function in a VPC needs both (comma-separated ids)',
    );
  }
  const bad = [
    ...subnetIds.filter((id) => !/^subnet-[0-9a-f]+$/.test(id)),
    ...securityGroupIds.filter((id) => !/^sg-[0-9a-f]+$/.test(id)),
  ];
  if (bad.length > 0) {
    throw new PackagingError(
      `not a subnet-… or sg-… id: ${bad.join(', ')} (--param subnetIds=subnet-a,subnet-b --param securityGroupIds=sg-c)`,
    );
  }
  return { subnetIds, securityGroupIds };
}

function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')
    .slice(0, 48);
}

/** Builds every part; throws `PackagingError` when the functions could not work as configured. */
export async function buildStack(params: StackParams): Promise<StackParts> {
  const read = await readDeployConfig({
    location: params.config,
    localCopy: params.configFile,
    serviceDir: params.serviceDir,
  });
  const { config } = read;
  const notes = [...read.notes];
  const prefix = `${params.service}-${params.stage}`;
  const vpc = vpcOf(params);
  const resources: Record<string, unknown> = monitoringResources({
    prefix,
    config,
    period: alarmPeriod(params.schedule),
    targetAlarms: flag('targetAlarms', params.targetAlarms),
  });

  const outputs: Record<string, unknown> = {};
  for (const role of ALL_ROLES) {
    outputs[`${role}Arn`] = {
      Description: `The ${role.replace('Role', '').toLowerCase()} function's IAM role`,
      Value: { 'Fn::GetAtt': [role, 'Arn'] },
    };
  }

  // One access entry per EKS cluster and checking role, mapped to the group the RBAC binds.
  const seen = new Set<string>();
  const entries = flag('accessEntries', params.accessEntries);
  for (const { name, eks } of config?.clusters ?? []) {
    if (!eks || seen.has(`${eks.region}/${eks.cluster}`)) continue;
    seen.add(`${eks.region}/${eks.cluster}`);
    if (!entries || eks.role_arn || eks.region !== params.region) {
      const why = !entries
        ? 'accessEntries=false'
        : eks.role_arn
          ? `it is reached through role_arn ${eks.role_arn}: map that role`
          : `it is in ${eks.region}, the stack in ${params.region}`;
      notes.push(
        `clusters ${name}: no access entry made for EKS cluster ${eks.cluster} (${why}); run, for each of the ScheduledRoleArn, WorkerRoleArn and CheckRoleArn outputs: aws eks create-access-entry --region ${eks.region} --cluster-name ${eks.cluster} --principal-arn <role ARN> --kubernetes-groups ${CHECKER_GROUP} --type STANDARD`,
      );
      continue;
    }
    for (const role of CHECKING_ROLES) {
      const id = `AccessEntry${pascal(eks.cluster)}${role.replace('Role', '')}${shortHash(`${eks.region}/${eks.cluster}`)}`;
      resources[id] = {
        Type: 'AWS::EKS::AccessEntry',
        Properties: {
          ClusterName: eks.cluster,
          PrincipalArn: { 'Fn::GetAtt': [role, 'Arn'] },
          KubernetesGroups: [CHECKER_GROUP],
          Type: 'STANDARD',
        },
      };
    }
  }

  return {
    statements: functionStatements({
      service: params.service,
      stage: params.stage,
      config,
      configLocation: params.config,
      slackSecret: params.slackSecret,
    }),
    patterns: read.ship,
    vpc,
    managedPolicies: vpc
      ? [sub('arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole')]
      : [],
    resources: { Resources: resources, Outputs: outputs },
    notes,
  };
}
