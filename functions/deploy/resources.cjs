// @ts-check
/**
 * Deploy-time values for serverless.yml, derived from the scrape-check config so that IAM is
 * scoped to what the config names (its EKS clusters, assumed roles, AMP workspace, config and
 * secret locations) and one CloudWatch alarm exists per configured target.
 *
 * serverless.yml reads it as `${file(./functions/deploy/resources.cjs):statements.check}` and so
 * on: osls calls the exported function once, offline (no AWS call), and picks the property.
 *
 * The config is read from the `configFile` param (default: the `config` param when that is a path,
 * else scrape-check.yaml). When there is no local file (the config lives in S3 or SSM and no copy
 * was given), IAM falls back to account-wide wildcards and a warning says so.
 */
'use strict';

const { readFileSync, existsSync } = require('node:fs');
const { resolve } = require('node:path');
const { parse } = require('yaml');

const PRESETS_DEFAULT = ['apiserver', 'kube-scheduler', 'kube-controller-manager', 'kubelet'];
const AMP_URL =
  /^https:\/\/aps-workspaces\.([a-z0-9-]+)\.amazonaws\.com\/workspaces\/(ws-[A-Za-z0-9-]+)\//;

/** @param {string} template */
const sub = (template) => ({ 'Fn::Sub': template });

/** @param {string} text */
function logicalId(text) {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('')
    .slice(0, 200);
}

/** @param {unknown} value @returns {Record<string, any>} */
function record(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? /** @type {Record<string, any>} */ (value)
    : {};
}

/** @param {unknown} value @returns {any[]} */
function list(value) {
  return Array.isArray(value) ? value : [];
}

/** @param {string} location */
function readStatements(location) {
  if (location.startsWith('s3://')) {
    const rest = location.slice(5);
    return [
      {
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: sub(`arn:\${AWS::Partition}:s3:::${rest}`),
      },
    ];
  }
  if (location.startsWith('ssm:')) {
    const name = location.slice(4).replace(/^\//, '');
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

let warned = false;

/** @param {{ resolveVariable: (v: string) => Promise<any> }} context */
module.exports = (context) => {
  // serverless.yml refers to this file several times; compute (and warn) once.
  // osls rewrites resolved values in place, so each reference gets its own copy.
  return compute(context);
};

/** @param {{ resolveVariable: (v: string) => Promise<any> }} context */
async function compute({ resolveVariable }) {
  const service = await resolveVariable('self:service');
  const stage = await resolveVariable('sls:stage');
  const config = String(await resolveVariable("param:config, 'scrape-check.yaml'"));
  const slackSecret = String(
    await resolveVariable("param:slackSecret, 'ssm:/scrape-check/slack-signing-secret'"),
  );
  const configFileParam = await resolveVariable("param:configFile, ''");
  const isPath = !/^(s3:\/\/|ssm:)/.test(config);
  const configFile = configFileParam ? String(configFileParam) : isPath ? config : '';

  /** @type {Record<string, any>} */
  let doc = {};
  const local = configFile !== '' && existsSync(resolve(configFile));
  if (local) doc = record(parse(readFileSync(resolve(configFile), 'utf8')));
  else if (!warned) {
    warned = true;
    process.stderr.write(
      `scrape-check: no local config (${configFile || config}) to derive IAM from: EKS, STS and AMP permissions fall back to account-wide wildcards (pass --param configFile=path/to/copy.yaml)\n`,
    );
  }

  const clusters = list(doc.clusters).map(record);
  const jobs = list(doc.scrape_configs).map(record);
  const remoteWrite = record(record(doc.sinks).remote_write);
  const namespace = String(record(record(doc.sinks).emf).namespace ?? 'ScrapeCheck');

  /** @type {any[]} */
  const eksArns = [];
  /** @type {string[]} */
  const roles = [];
  for (const cluster of clusters) {
    const eks = record(cluster.eks);
    if (typeof eks.cluster !== 'string') continue;
    if (typeof eks.role_arn === 'string') roles.push(eks.role_arn);
    else
      eksArns.push(
        sub(`arn:\${AWS::Partition}:eks:${eks.region}:\${AWS::AccountId}:cluster/${eks.cluster}`),
      );
  }
  const sigv4 = record(remoteWrite.sigv4);
  if (typeof sigv4.role_arn === 'string') roles.push(sigv4.role_arn);
  const amp = typeof remoteWrite.url === 'string' ? AMP_URL.exec(remoteWrite.url) : null;

  /** @type {any[]} */
  const run = [];
  if (!local) {
    run.push(
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
    );
  } else {
    if (eksArns.length > 0)
      run.push({ Effect: 'Allow', Action: ['eks:DescribeCluster'], Resource: eksArns });
    if (roles.length > 0)
      run.push({ Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [...new Set(roles)] });
    if (amp && sigv4.role_arn === undefined && remoteWrite.sigv4 !== undefined) {
      run.push({
        Effect: 'Allow',
        Action: ['aps:RemoteWrite'],
        Resource: sub(
          `arn:\${AWS::Partition}:aps:${amp[1]}:\${AWS::AccountId}:workspace/${amp[2]}`,
        ),
      });
    }
  }

  /** @param {string} fn */
  const logs = (fn) => ({
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: sub(
      `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${service}-${stage}-${fn}:*`,
    ),
  });
  const readConfig = readStatements(config);
  const queue = { 'Fn::GetAtt': ['FanoutQueue', 'Arn'] };

  const statements = {
    scheduled: [
      logs('scheduled'),
      ...readConfig,
      ...run,
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: queue },
    ],
    worker: [
      logs('worker'),
      ...readConfig,
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
    check: [logs('check'), ...readConfig, ...run],
    chatops: [
      logs('chatops'),
      ...readConfig,
      ...readStatements(slackSecret),
      {
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: sub(
          `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${service}-${stage}-check`,
        ),
      },
    ],
  };

  // One alarm per target: plain jobs (Cluster=none) and each cluster's presets.
  /** @type {[string, string][]} */
  const targets = [];
  for (const job of jobs)
    if (typeof job.job_name === 'string') targets.push(['none', job.job_name]);
  for (const cluster of clusters) {
    const presets = list(cluster.targets).length > 0 ? list(cluster.targets) : PRESETS_DEFAULT;
    for (const preset of presets) targets.push([String(cluster.name), String(preset)]);
  }
  /** @type {Record<string, any>} */
  const alarms = {};
  for (const [cluster, job] of targets) {
    alarms[logicalId(`ScrapeAlarm ${cluster} ${job}`)] = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: `${service}-${stage} ${cluster}/${job} cannot be scraped`,
        AlarmDescription: `Prometheus could not scrape ${job} in ${cluster === 'none' ? 'the plain jobs' : `cluster ${cluster}`} (see the Reason dimension and the log lines for the diagnosis). Missing data counts as failing: the check itself stopped.`,
        Namespace: namespace,
        MetricName: 'ScrapeSuccess',
        Dimensions: [
          { Name: 'Cluster', Value: cluster },
          { Name: 'Job', Value: job },
        ],
        Statistic: 'Minimum',
        Period: 300,
        EvaluationPeriods: 2,
        DatapointsToAlarm: 2,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        AlarmActions: [{ Ref: 'AlarmTopic' }],
        OKActions: [{ Ref: 'AlarmTopic' }],
      },
    };
  }

  /** @param {string} expression @param {string} title @param {Record<string, any>} [extra] */
  const widget = (expression, title, extra = {}) => ({
    type: 'metric',
    width: 12,
    height: 6,
    properties: {
      title,
      region: '${AWS::Region}',
      view: 'timeSeries',
      stat: 'Average',
      period: 300,
      metrics: [[{ expression, id: 'e1', label: '' }]],
      ...extra,
    },
  });
  const ns = namespace.replace(/"/g, '\\"');
  const dashboard = {
    widgets: [
      widget(
        `SEARCH('{"${ns}",Cluster,Job} MetricName="ScrapeSuccess"', 'Minimum', 300)`,
        'Scrape success by target (1 = ok)',
        { yAxis: { left: { min: 0, max: 1 } } },
      ),
      widget(
        `SEARCH('{"${ns}",Cluster,Job,Reason} MetricName="ScrapeSuccess"', 'SampleCount', 300)`,
        'Results by reason over time',
        { stacked: true },
      ),
      widget(
        `SEARCH('{"${ns}",Cluster,Job} MetricName="ScrapeDuration"', 'Maximum', 300)`,
        'Scrape duration, ms (max)',
      ),
      widget(
        `SEARCH('{"${ns}",Cluster,Job} MetricName="CertDaysLeft"', 'Minimum', 3600)`,
        'Days until the certificate expires',
        { period: 3600 },
      ),
    ],
  };

  return {
    statements,
    resources: {
      Resources: {
        ...alarms,
        Dashboard: {
          Type: 'AWS::CloudWatch::Dashboard',
          Properties: {
            DashboardName: `${service}-${stage}`,
            DashboardBody: sub(JSON.stringify(dashboard)),
          },
        },
      },
    },
  };
}
