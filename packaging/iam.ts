/**
 * Each function's IAM statements, scoped to what the config names (its EKS clusters, assumed roles,
 * AMP workspace, config and secret locations). ARNs are `Fn::Sub` references, never looked up, so
 * `serverless package` stays offline.
 */
import type { Config } from '#lib/config/index.ts';

/** An IAM policy statement, as CloudFormation takes it. */
export interface Statement {
  Effect: 'Allow';
  Action: string[];
  Resource: unknown;
}

/** A CloudFormation `Fn::Sub`. */
export const sub = (template: string): { 'Fn::Sub': string } => ({ 'Fn::Sub': template });

const AMP_URL =
  /^https:\/\/aps-workspaces\.([a-z0-9-]+)\.amazonaws\.com\/workspaces\/(ws-[A-Za-z0-9-]+)\//;

/** Reading the config (S3 object, SSM parameter) or the Slack secret at `location`. */
export function readStatements(location: string): Statement[] {
  if (location.startsWith('s3://')) {
    const rest = location.slice('s3://'.length);
    return [
      {
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: sub(`arn:\${AWS::Partition}:s3:::${rest}`),
      },
    ];
  }
  if (location.startsWith('ssm:')) {
    const name = location.slice('ssm:'.length).replace(/^\//, '');
    return [
      {
        Effect: 'Allow',
        Action: ['ssm:GetParameter'],
        Resource: sub(
          `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/${name}`,
        ),
      },
    ];
  }
  if (location.startsWith('secretsmanager:')) {
    const id = location.slice('secretsmanager:'.length);
    const arn = id.startsWith('arn:')
      ? id
      : `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${id}-??????`;
    return [{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: sub(arn) }];
  }
  return [];
}

/** What a run needs in AWS: DescribeCluster, AssumeRole, AMP remote write (wildcards without a config). */
export function runStatements(config: Config | null): Statement[] {
  if (config === null) {
    return [
      {
        Effect: 'Allow',
        Action: ['eks:DescribeCluster'],
        Resource: sub('arn:${AWS::Partition}:eks:*:${AWS::AccountId}:cluster/*'),
      },
      {
        Effect: 'Allow',
        Action: ['sts:AssumeRole'],
        Resource: sub('arn:${AWS::Partition}:iam::*:role/scrape-check*'),
      },
      {
        Effect: 'Allow',
        Action: ['aps:RemoteWrite'],
        Resource: sub('arn:${AWS::Partition}:aps:*:${AWS::AccountId}:workspace/*'),
      },
    ];
  }
  const statements: Statement[] = [];
  const clusters: unknown[] = [];
  const roles = new Set<string>();
  for (const { eks } of config.clusters) {
    if (!eks) continue;
    if (eks.role_arn) roles.add(eks.role_arn);
    else
      clusters.push(
        sub(`arn:\${AWS::Partition}:eks:${eks.region}:\${AWS::AccountId}:cluster/${eks.cluster}`),
      );
  }
  const remoteWrite = config.sinks.remote_write;
  if (remoteWrite?.sigv4?.role_arn) roles.add(remoteWrite.sigv4.role_arn);
  if (clusters.length > 0)
    statements.push({ Effect: 'Allow', Action: ['eks:DescribeCluster'], Resource: clusters });
  if (roles.size > 0)
    statements.push({ Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [...roles] });
  const amp = remoteWrite ? AMP_URL.exec(remoteWrite.url) : null;
  if (amp && remoteWrite?.sigv4 && !remoteWrite.sigv4.role_arn) {
    statements.push({
      Effect: 'Allow',
      Action: ['aps:RemoteWrite'],
      Resource: sub(
        `arn:\${AWS::Partition}:aps:${amp[1]!}:\${AWS::AccountId}:workspace/${amp[2]!}`,
      ),
    });
  }
  return statements;
}

/** The four functions' statements. */
export function functionStatements(options: {
  service: string;
  stage: string;
  config: Config | null;
  configLocation: string;
  slackSecret: string;
}): Record<'scheduled' | 'worker' | 'check' | 'chatops', Statement[]> {
  const { service, stage } = options;
  const logs = (fn: string): Statement => ({
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: sub(
      `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${service}-${stage}-${fn}:*`,
    ),
  });
  const read = readStatements(options.configLocation);
  const run = runStatements(options.config);
  const queue = { 'Fn::GetAtt': ['FanoutQueue', 'Arn'] };
  return {
    scheduled: [
      logs('scheduled'),
      ...read,
      ...run,
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: queue },
    ],
    worker: [
      logs('worker'),
      ...read,
      ...run,
      {
        Effect: 'Allow',
        Action: [
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:ChangeMessageVisibility',
        ],
        Resource: queue,
      },
    ],
    check: [logs('check'), ...read, ...run],
    chatops: [
      logs('chatops'),
      ...read,
      ...readStatements(options.slackSecret),
      {
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: sub(
          `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${service}-${stage}-check`,
        ),
      },
    ],
  };
}
