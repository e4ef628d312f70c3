/**
 * What an AWS SDK v3 error says, in the few fields a diagnosis needs. Service errors carry the
 * AWS error code as `name` and `$metadata` (status, attempts); credential-chain and network
 * errors carry neither.
 */
import { redact } from './redact.ts';

export interface AwsErrorInfo {
  /** The AWS error code (`ResourceNotFoundException`, `AccessDenied`), or the JS error name. */
  code: string;
  message: string;
  /** HTTP status of the last attempt, null when no response arrived. */
  status: number | null;
  /** How many attempts the SDK made (it retries throttling and 5xx with backoff). */
  attempts: number | null;
  throttled: boolean;
  /** No AWS response at all: a network error, or no credentials to sign with. */
  network: boolean;
}

/** AWS error codes that mean "slow down" (the SDK's own list, `@smithy/service-error-classification`). */
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** Reads an SDK error. Never throws; anything unexpected becomes code `Error`. */
export function awsErrorInfo(error: unknown, secrets: readonly string[] = []): AwsErrorInfo {
  const name = field(error, 'name');
  const message = field(error, 'message');
  const metadata = field(error, '$metadata');
  const status = field(metadata, 'httpStatusCode');
  const attempts = field(metadata, 'attempts');
  const netCode = field(error, 'code');
  const code =
    typeof netCode === 'string' && typeof status !== 'number'
      ? netCode
      : typeof name === 'string'
        ? name
        : 'Error';
  return {
    code,
    message: redact(typeof message === 'string' ? message : String(error), secrets),
    status: typeof status === 'number' ? status : null,
    attempts: typeof attempts === 'number' ? attempts : null,
    throttled: THROTTLING.has(code) || status === 429,
    network: typeof status !== 'number',
  };
}

/** `(ThrottlingException, HTTP 429, after 3 attempts)`: the error's identity in one bracket. */
export function describeAwsError(info: AwsErrorInfo): string {
  const parts = [info.code];
  if (info.status !== null) parts.push(`HTTP ${info.status}`);
  if (info.attempts !== null && info.attempts > 1) parts.push(`after ${info.attempts} attempts`);
  return `(${parts.join(', ')})`;
}
