/**
 * Where the functions' configuration comes from (`SCRAPE_CHECK_CONFIG`): a path in the bundle,
 * `s3://bucket/key`, or `ssm:/parameter/name`. Reading it is a `ConfigResult` like reading a file:
 * a missing object or parameter is a problem that names the location, not a throw. The AWS clients
 * load only when a location needs them, so the CLI never pays for them.
 */
import { resolve } from 'node:path';
import { formatProblem } from './errors.ts';
import { loadConfigFile, parseConfig, type ConfigResult } from './load.ts';

export type ConfigLocation =
  | { kind: 'file'; path: string }
  | { kind: 's3'; bucket: string; key: string }
  | { kind: 'ssm'; name: string };

/**
 * Reads a location string. A relative path is taken from the working directory (the bundle's
 * root, `/var/task`, in Lambda).
 *
 * @example
 * parseConfigLocation('s3://ops-config/scrape-check.yaml'); // { kind: 's3', bucket: 'ops-config', key: 'scrape-check.yaml' }
 * parseConfigLocation('ssm:/scrape-check/config');          // { kind: 'ssm', name: '/scrape-check/config' }
 */
export function parseConfigLocation(location: string): ConfigLocation {
  if (location.startsWith('s3://')) {
    const rest = location.slice('s3://'.length);
    const slash = rest.indexOf('/');
    if (slash <= 0 || slash === rest.length - 1) {
      throw new Error(`${location}: an S3 location is s3://bucket/key`);
    }
    return { kind: 's3', bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
  }
  if (location.startsWith('ssm:')) {
    const name = location.slice('ssm:'.length);
    if (name === '') throw new Error(`${location}: an SSM location is ssm:/parameter/name`);
    return { kind: 'ssm', name };
  }
  return { kind: 'file', path: resolve(location) };
}

function failure(origin: string, message: string): ConfigResult {
  const problem = { file: origin, line: null, column: null, path: '', message };
  return { ok: false, problems: [problem], message: formatProblem(problem) };
}

function awsMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
}

/**
 * Reads and parses the configuration at `location`. Relative `*_file` paths in an S3 or SSM config
 * are taken from the working directory (files shipped in the bundle).
 */
export async function loadConfigFrom(location: string): Promise<ConfigResult> {
  let where: ConfigLocation;
  try {
    where = parseConfigLocation(location);
  } catch (error) {
    return failure(location, (error as Error).message);
  }
  if (where.kind === 'file') return loadConfigFile(where.path);
  let text: string;
  try {
    if (where.kind === 's3') {
      const { getObjectText } = await import('#lib/aws/s3.ts');
      text = await getObjectText(where.bucket, where.key);
    } else {
      const { getParameter } = await import('#lib/aws/ssm.ts');
      text = await getParameter(where.name);
    }
  } catch (error) {
    return failure(location, `cannot be read: ${awsMessage(error)}`);
  }
  return await parseConfig(text, location, process.cwd());
}

export interface ConfigCacheOptions {
  /** How long a loaded config is reused (default 60 s): edits in S3 or SSM apply within it. */
  ttlMs?: number;
  now?: () => number;
}

/**
 * Keeps the last good configuration for a while, so warm invocations neither refetch nor reparse
 * it. A failed load is not kept: the next invocation tries again.
 */
export function createConfigCache(options: ConfigCacheOptions = {}): {
  load(location: string): Promise<ConfigResult>;
  clear(): void;
} {
  const ttl = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { at: number; result: ConfigResult }>();
  return {
    async load(location) {
      const hit = entries.get(location);
      if (hit && now() - hit.at < ttl) return hit.result;
      const result = await loadConfigFrom(location);
      if (result.ok) entries.set(location, { at: now(), result });
      else entries.delete(location);
      return result;
    },
    clear() {
      entries.clear();
    },
  };
}
