/**
 * The environment the functions read (`../shared/contract.md`, "The functions"). Only this module
 * reads `process.env` for scrape-check's own variables; each getter names its variable in the
 * error it throws. Read at each call (cheap), so a test can set a variable before invoking.
 */

/** A required variable that is missing or empty. */
export class EnvError extends Error {
  readonly variable: string;
  constructor(variable: string, why: string) {
    super(`${variable} ${why}`);
    this.name = 'EnvError';
    this.variable = variable;
  }
}

function required(variable: string, what: string): string {
  const value = process.env[variable];
  if (value === undefined || value.trim() === '') {
    throw new EnvError(variable, `is not set: it must name ${what}`);
  }
  return value.trim();
}

/** `SCRAPE_CHECK_CONFIG`: a bundle path, `s3://bucket/key` or `ssm:/name`; `scrape-check.yaml` by default. */
export function configLocation(): string {
  const value = process.env.SCRAPE_CHECK_CONFIG?.trim();
  return value === undefined || value === '' ? 'scrape-check.yaml' : value;
}

/** `SCRAPE_CHECK_SLACK_SECRET`: `ssm:/name` or `secretsmanager:name-or-arn` (never the secret). */
export function slackSecretLocation(): string {
  return required(
    'SCRAPE_CHECK_SLACK_SECRET',
    "where Slack's signing secret is (ssm:/parameter/name or secretsmanager:name-or-arn)",
  );
}

/** `SCRAPE_CHECK_QUEUE_URL`: the fan-out queue (needed when the config says `fanout: sqs`). */
export function queueUrl(): string {
  return required(
    'SCRAPE_CHECK_QUEUE_URL',
    'the fan-out SQS queue URL (the config says fanout: sqs)',
  );
}

/**
 * `SCRAPE_CHECK_CHECK_FUNCTION`: the name or ARN of the `check` function, which `chatops` invokes
 * asynchronously (an addition to the contract's variables; serverless.yml sets it).
 */
export function checkFunctionName(): string {
  return required('SCRAPE_CHECK_CHECK_FUNCTION', 'the check function that chatops invokes');
}

/**
 * `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT`: where a pod reaches its API server
 * (client-go `rest.InClusterConfig`); null outside a pod.
 */
export function inClusterApiServer(): { host: string; port: string } | null {
  const host = process.env.KUBERNETES_SERVICE_HOST?.trim() ?? '';
  const port = process.env.KUBERNETES_SERVICE_PORT?.trim() ?? '';
  return host === '' || port === '' ? null : { host, port };
}

/**
 * `SSL_CERT_FILE` and `SSL_CERT_DIR`: where Go's crypto/x509 (and so Prometheus) looks for the
 * system trust store instead of the distribution's own paths; `SSL_CERT_DIR` is a colon-separated
 * list. Undefined when unset or empty, which Go treats alike; not trimmed, as Go does not trim
 * (golang/go src/crypto/x509/root_unix.go, loadSystemRoots).
 */
export function sslCertFile(): string | undefined {
  const value = process.env.SSL_CERT_FILE;
  return value === undefined || value === '' ? undefined : value;
}

/** `SSL_CERT_DIR`: see {@link sslCertFile}. */
export function sslCertDir(): string | undefined {
  const value = process.env.SSL_CERT_DIR;
  return value === undefined || value === '' ? undefined : value;
}

/**
 * `AWS_LAMBDA_FUNCTION_NAME` and `AWS_REGION`, which Lambda sets: the function scrape-check runs
 * as, for diagnoses that must say where a network failure was seen from; null outside Lambda.
 */
export function lambdaFunction(): { name: string; region: string | null } | null {
  const name = process.env.AWS_LAMBDA_FUNCTION_NAME?.trim() ?? '';
  const region = process.env.AWS_REGION?.trim() ?? '';
  return name === '' ? null : { name, region: region === '' ? null : region };
}
