/**
 * The config as `serverless package` sees it: read through the project's own loader and schema
 * (`#lib/config`, the one reader), so a config the functions would refuse fails the package with the
 * loader's message, and a bundle-path config ships in every zip with the files it names.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { loadConfigFile, parseConfig, type Config } from '#lib/config/index.ts';

/** SSM's parameter size limits (https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html). */
export const SSM_STANDARD_LIMIT = 4096;
export const SSM_ADVANCED_LIMIT = 8192;

/** Packaging cannot go on; the message says why (the loader's own message for a bad config). */
export class PackagingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackagingError';
  }
}

export interface PackagedConfig {
  /** The validated config, or null when it lives in S3/SSM and no local copy was given. */
  config: Config | null;
  /** Paths (relative to the service folder) every zip must carry: the config and the files it names. */
  ship: string[];
  /** Things the user should know (printed by `serverless package`). */
  notes: string[];
}

/** Where the functions read the config: `s3://`, `ssm:` or a path in the bundle. */
export function locationKind(location: string): 's3' | 'ssm' | 'bundle' {
  if (location.startsWith('s3://')) return 's3';
  if (location.startsWith('ssm:')) return 'ssm';
  return 'bundle';
}

/** Every file a config names, as the loader resolved them (absolute paths or globs). */
export function filesNamed(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) filesNamed(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      // `*_file` keys (TLS, credentials, passwords), a token `file`, file_sd `files`, operator monitors.
      const fileKey = key.endsWith('_file') || key === 'file' || key === 'prometheus';
      if (fileKey && typeof item === 'string' && (key !== 'prometheus' || /\.ya?ml$/.test(item)))
        found.push(item);
      else if ((key === 'files' || key === 'monitors') && Array.isArray(item))
        found.push(...item.filter((f): f is string => typeof f === 'string'));
      else filesNamed(item, found);
    }
  }
  return found;
}

/**
 * Reads the config for a deploy. `location` is the `config` param (what the functions will read);
 * `localCopy` the `configFile` param. Throws `PackagingError` when the functions would have no
 * usable config.
 */
export async function readDeployConfig(options: {
  location: string;
  localCopy: string;
  serviceDir: string;
}): Promise<PackagedConfig> {
  const { location, serviceDir } = options;
  const kind = locationKind(location);
  const notes: string[] = [];
  // A bundle config is checked where it is: it is the file that ships.
  const localCopy = kind === 'bundle' ? location : options.localCopy;
  if (kind === 'bundle') {
    const path = resolve(serviceDir, location);
    if (isAbsolute(location) || relative(serviceDir, path).startsWith('..')) {
      throw new PackagingError(
        `config ${location}: a config shipped in the bundle must be inside the service folder (${serviceDir}), as a relative path; or put it in S3 or SSM (--param config=s3://bucket/key)`,
      );
    }
    if (!existsSync(path)) {
      throw new PackagingError(
        `config ${location}: no such file, so the functions would have no config to read (SCRAPE_CHECK_CONFIG=${location} is a path in the bundle). Create it, pass --param config=path/in/this/folder.yaml, or --param config=s3://bucket/key or ssm:/name`,
      );
    }
  }
  if (localCopy === '') {
    notes.push(
      `no local copy of ${location} to check: IAM falls back to account-wide wildcards, no per-target alarm or EKS access entry is made (pass --param configFile=path/to/copy.yaml)`,
    );
    return { config: null, ship: [], notes };
  }
  const copyPath = resolve(serviceDir, localCopy);
  let text: string;
  try {
    text = readFileSync(copyPath, 'utf8');
  } catch (error) {
    throw new PackagingError(`configFile ${localCopy}: ${(error as Error).message}`);
  }
  // In Lambda an S3 or SSM config's relative paths are taken from /var/task (the bundle's root);
  // a bundle config's from its own folder, as the loader does it.
  const result =
    kind === 'bundle'
      ? await loadConfigFile(copyPath)
      : await parseConfig(text, localCopy, serviceDir);
  if (!result.ok) throw new PackagingError(result.message);
  notes.push(...result.warnings);
  const bytes = Buffer.byteLength(text);
  if (kind === 'ssm' && bytes > SSM_ADVANCED_LIMIT) {
    throw new PackagingError(
      `config ${location}: ${localCopy} is ${bytes} bytes; an SSM parameter holds at most 4096 (standard tier) or 8192 (advanced tier): keep the config in S3 (--param config=s3://bucket/key)`,
    );
  }
  if (kind === 'ssm' && bytes > SSM_STANDARD_LIMIT) {
    notes.push(
      `config ${location}: ${localCopy} is ${bytes} bytes, over the 4096 of an SSM standard parameter: put it with --tier Advanced (8192 bytes, charged), or keep it in S3`,
    );
  }
  const ship = kind === 'bundle' ? [relative(serviceDir, copyPath)] : [];
  for (const file of filesNamed(result.config)) {
    const rel = relative(serviceDir, resolve(serviceDir, file));
    if (rel.startsWith('..') || isAbsolute(rel)) {
      notes.push(`${file} is outside the service folder: not shipped (it must exist in Lambda)`);
    } else if (!/[*?[{]/.test(rel) && !existsSync(resolve(serviceDir, rel))) {
      throw new PackagingError(
        `${localCopy}: names ${rel}, which does not exist: the functions would report config_invalid`,
      );
    } else ship.push(rel);
  }
  return { config: result.config, ship: [...new Set(ship)], notes };
}
