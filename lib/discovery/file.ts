/**
 * `file_sd_configs`: target groups read from JSON and YAML files, as Prometheus reads them
 * (prometheus/prometheus `discovery/file/file.go`, the same in 2.42 and 3.x).
 *
 * What Prometheus does, and what this module reports:
 *
 * - Each pattern is expanded with Go's `filepath.Glob` (`go-glob.ts`). A pattern that matches
 *   nothing gives no targets and no error in Prometheus; here it is a warning.
 * - A file that cannot be read or decoded is logged (`Error reading file`) and skipped: on a fresh
 *   start it contributes no targets, later it keeps the targets it had at its last good read. The
 *   other files' targets are unaffected. So one broken file is a warning naming the file, line and
 *   column, beside the other files' groups; only when no matched file could be read (or every
 *   pattern was malformed) is the outcome a failure.
 * - Groups carry `__meta_filepath` (the path as globbed) and source `<path>:<index>`.
 *
 * One read, not a watch: the refresh interval and fsnotify updates do not apply to a check.
 */
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, posix } from 'node:path';
import { BAD_PATTERN, goGlob } from './go-glob.ts';
import { goQuote } from './go-strings.ts';
import { readJsonGroups } from './group-json.ts';
import { readYamlGroups } from './group-yaml.ts';
import {
  cannotUnmarshal,
  scalarString,
  SdConfigProblem,
  validateRefreshingSd,
  type SdConfigValidation,
} from './sd-config.ts';
import { nameGroups, type DecodedGroups } from './target-groups.ts';
import type { DiscoveryOutcome, PromVersion, TargetGroup } from './types.ts';

/** A validated `file_sd_configs` entry. */
export interface FileSdConfig {
  /** The patterns as written in the config (relative ones are joined with `baseDir` on use). */
  files: string[];
  refreshIntervalMs: number;
}

// discovery/file/file.go patFileSDName: only the last path component may hold a `*`.
const FILE_NAME = /^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$/;
const FILE_SD = {
  typeName: 'file.plain',
  keys: new Set(['files', 'refresh_interval']),
  defaultRefreshMs: 300_000,
};

/**
 * Checks a `file_sd_configs` entry as `SDConfig.UnmarshalYAML` does, with its messages:
 * `file service discovery config must contain at least one path name`, `path name "x" is not
 * valid for file discovery`. `version` picks the duration parser for `refresh_interval`.
 */
export function validateFileSdConfig(
  raw: unknown,
  version: PromVersion,
): SdConfigValidation<FileSdConfig> {
  return validateRefreshingSd(raw, FILE_SD, version, (record) => {
    const list = record.files ?? [];
    if (!Array.isArray(list)) {
      throw new SdConfigProblem('files', cannotUnmarshal(list, '[]string'));
    }
    const files = list.map((f, i) => scalarString(f, ['files', i]));
    if (files.length === 0) {
      throw new SdConfigProblem(
        'files',
        'file service discovery config must contain at least one path name',
      );
    }
    for (const [i, name] of files.entries()) {
      if (!FILE_NAME.test(name)) {
        throw new SdConfigProblem(
          ['files', i],
          `path name ${goQuote(name)} is not valid for file discovery`,
        );
      }
    }
    return { files };
  });
}

/** Where a file went wrong; `line` and `column` are 1-based, null when there is no position. */
export interface FileProblem {
  file: string;
  line: number | null;
  column: number | null;
  /** Prometheus's error for the file, word for word (`json: unknown field "foo"`). */
  message: string;
}

/** What became of one matched file. */
export interface FileReport {
  file: string;
  /** How many groups it gave; 0 when it failed. */
  groups: number;
  problem: FileProblem | null;
}

/** The discovery's outcome, and each file it read. */
export type FileDiscoveryOutcome = DiscoveryOutcome & { files: FileReport[] };

/** `file.ts:3:5: message`, or `file.ts: message` when there is no position. */
export function formatFileProblem(p: FileProblem): string {
  return p.line === null
    ? `${p.file}: ${p.message}`
    : `${p.file}:${p.line}:${p.column ?? 1}: ${p.message}`;
}

// prometheus/common config.JoinDir: relative paths are joined with the config file's directory
// (and so cleaned); absolute ones are used as written.
const joinDir = (dir: string, path: string): string =>
  path === '' || isAbsolute(path) ? path : posix.join(dir, path);

// Go's *PathError text for the errors a read meets: `open /x.json: permission denied`.
const ERRNO: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

function readError(error: unknown, file: string): string {
  const err = error as NodeJS.ErrnoException;
  const why = err.code ? ERRNO[err.code] : undefined;
  return why ? `${err.syscall === 'read' ? 'read' : 'open'} ${file}: ${why}` : err.message;
}

async function readOne(file: string, version: PromVersion): Promise<TargetGroup[] | FileProblem> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return { file, line: null, column: null, message: readError(error, file) };
  }
  const ext = extname(file).toLowerCase();
  let decoded: DecodedGroups;
  if (ext === '.json') decoded = readJsonGroups(bytes, version);
  else if (ext === '.yml' || ext === '.yaml') decoded = readYamlGroups(bytes, version);
  else {
    // Prometheus panics here; validateFileSdConfig keeps such names out.
    return { file, line: null, column: null, message: `unhandled file extension ${goQuote(ext)}` };
  }
  if (!decoded.ok) {
    const { position } = decoded;
    return {
      file,
      line: position?.line ?? null,
      column: position?.column ?? null,
      message: decoded.message,
    };
  }
  return nameGroups(decoded.groups, file, '__meta_filepath', file);
}

/**
 * Reads every file the config's patterns match, once, as Prometheus's first refresh does.
 * `baseDir` is the directory of the `prometheus.yml` the config came from; `version` decides which
 * label names a file may use (2.42: `[a-zA-Z_][a-zA-Z0-9_]*`; 3.x: any UTF-8).
 *
 * @example
 *   const outcome = await discoverFiles({ files: ['targets/*.json'], refreshIntervalMs: 300_000 },
 *     { baseDir: '/etc/prometheus', version: '3' });
 *   if (outcome.ok) for (const w of outcome.warnings) console.warn(w);
 */
export async function discoverFiles(
  config: FileSdConfig,
  options: { baseDir: string; version: PromVersion },
): Promise<FileDiscoveryOutcome> {
  const groups: TargetGroup[] = [];
  const warnings: string[] = [];
  const files: FileReport[] = [];
  const seen = new Set<string>();
  let badPatterns = 0;
  for (const written of config.files) {
    const pattern = joinDir(options.baseDir, written);
    let paths: string[];
    try {
      paths = await goGlob(pattern);
    } catch (error) {
      if (!(error instanceof Error) || error.message !== BAD_PATTERN) throw error;
      badPatterns++;
      warnings.push(
        `${goQuote(pattern)}: ${BAD_PATTERN}: Prometheus logs "Error expanding glob" and reads no file for it`,
      );
      continue;
    }
    if (paths.length === 0) {
      warnings.push(
        `${goQuote(pattern)} matches no file: Prometheus finds no targets here and reports no error`,
      );
    }
    for (const file of paths) {
      // A file two patterns match is read twice by Prometheus, under the same sources: once here.
      if (seen.has(file)) continue;
      seen.add(file);
      const read = await readOne(file, options.version);
      if (Array.isArray(read)) {
        groups.push(...read);
        files.push({ file, groups: read.length, problem: null });
      } else {
        files.push({ file, groups: 0, problem: read });
        warnings.push(
          `${formatFileProblem(read)} (Prometheus skips this file: on a fresh start it has no targets from it, later it keeps those of its last good read)`,
        );
      }
    }
  }
  const broken = files.filter((f) => f.problem !== null);
  if (
    (files.length > 0 && broken.length === files.length) ||
    (files.length === 0 && badPatterns > 0)
  ) {
    const reasons = broken.map((f) => formatFileProblem(f.problem!));
    const message = reasons.length > 0 ? reasons.join('\n') : warnings.join('\n');
    return { ok: false, failure: { message, status: null }, files };
  }
  return { ok: true, groups, warnings, files };
}
