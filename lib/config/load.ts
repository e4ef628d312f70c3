/**
 * Reads a configuration (YAML or JSON: JSON is read as YAML 1.2, so both get line and column),
 * validates it against the schema, and turns every mistake into a `ConfigProblem`.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { LineCounter, parseDocument } from 'yaml';
import type * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { byPosition, formatProblem, nearest, type ConfigProblem } from './errors.ts';
import { decoderKeysAt, misplacedKey, schemaKeysAt } from './known-keys.ts';
import { describe, problemAt, valueAt, type Located } from './locate.ts';
import { SUPPORTED_DISCOVERY } from './prometheus-keys.ts';
import { configSchema, type Config, type ScrapeConfig, type TlsConfig } from './schema.ts';
import { resolveOperatorFiles } from './schema-operator.ts';
import { versionProblems } from './version-checks.ts';
import { ignoredKeyWarnings } from './warnings.ts';

/** How to read a config: for which Prometheus major version (default: the config's `compat`). */
export interface ParseOptions {
  prometheusVersion?: '2' | '3';
}

/** A loaded configuration with its warnings (sorted by line), or every problem found in it. */
export type ConfigResult =
  | { ok: true; config: Config; warnings: string[]; origin: string }
  | { ok: false; problems: ConfigProblem[]; message: string };

const UNKNOWN_KEY = 'unknown key: neither Prometheus nor scrape-check has it';

/**
 * An unknown key's message, with the nearest known key of the same mapping when one is near
 * enough to be a typo, or where the key would be known one level off (an indentation slip).
 */
function unknownKeyMessage(path: readonly PropertyKey[], key: string): string {
  const near = nearest(key, schemaKeysAt(path));
  if (near !== null) return `${UNKNOWN_KEY}; did you mean ${near}?`;
  const misplaced = misplacedKey(path, key);
  if (misplaced !== null) return `unknown key here: ${misplaced}`;
  return `${UNKNOWN_KEY} (check the spelling and the indentation)`;
}

/** Rewrites zod's issues into sentences that say what was expected and what was found. */
function problemsFromIssues(
  at: Located,
  data: unknown,
  issues: z.core.$ZodIssue[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const value = valueAt(data, issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push(
          problemAt(at, [...issue.path, key], unknownKeyMessage(issue.path, key), true),
        );
      }
    } else if (issue.code === 'invalid_type' && value === undefined) {
      problems.push(problemAt(at, issue.path, `is required (expected ${issue.expected})`));
    } else if (issue.code === 'invalid_type') {
      const expected = issue.message.startsWith('expected ')
        ? issue.message
        : `expected ${issue.expected}`;
      problems.push(problemAt(at, issue.path, `${expected}, got ${describe(value)}`));
    } else if (issue.code === 'invalid_value') {
      const options = issue.values.map((v) => JSON.stringify(v)).join(', ');
      problems.push(
        problemAt(at, issue.path, `expected one of ${options}, got ${describe(value)}`),
      );
    } else {
      problems.push(problemAt(at, issue.path, issue.message));
    }
  }
  return problems;
}

function expandPath(file: string, baseDir: string): string {
  if (file === '~' || file.startsWith('~/')) return resolve(homedir(), file.slice(2));
  return isAbsolute(file) ? file : resolve(baseDir, file);
}

function resolveTls(tls: TlsConfig | undefined, baseDir: string): void {
  if (!tls) return;
  for (const key of ['ca_file', 'cert_file', 'key_file'] as const) {
    const file = tls[key];
    if (file !== undefined) tls[key] = expandPath(file, baseDir);
  }
}

type Loose = Record<string, unknown>;

/** Resolves a loose object's file key in place (service discovery blocks are checked later). */
function resolveLoose(obj: unknown, key: string, baseDir: string): void {
  if (obj === null || typeof obj !== 'object') return;
  const value = (obj as Loose)[key];
  if (typeof value === 'string') (obj as Loose)[key] = expandPath(value, baseDir);
}

/** The files a service discovery block names: its HTTP client's, kubeconfig, file_sd's globs. */
function resolveDiscoveryFiles(job: ScrapeConfig, baseDir: string): void {
  for (const sd of [...job.kubernetes_sd_configs, ...job.http_sd_configs]) {
    resolveTls(sd.tls_config, baseDir);
    resolveLoose(sd, 'bearer_token_file', baseDir);
    resolveLoose(sd, 'kubeconfig_file', baseDir);
    resolveLoose(sd.authorization, 'credentials_file', baseDir);
    resolveLoose(sd.basic_auth, 'password_file', baseDir);
    resolveLoose(sd.basic_auth, 'username_file', baseDir);
  }
  const oauth2 = job.oauth2;
  if (oauth2) {
    resolveTls(oauth2.tls_config, baseDir);
    if (oauth2.client_secret_file)
      oauth2.client_secret_file = expandPath(oauth2.client_secret_file, baseDir);
  }
  for (const header of Object.values(job.http_headers ?? {})) {
    if (header.files) header.files = header.files.map((f) => expandPath(f, baseDir));
  }
  for (const sd of job.file_sd_configs) {
    // Prometheus joins relative file_sd paths with the config's folder (discovery/file SetDirectory).
    if (Array.isArray(sd.files)) {
      sd.files = sd.files.map((f: unknown) =>
        typeof f === 'string' && !isAbsolute(f) ? join(baseDir, f) : f,
      );
    }
  }
}

/** Makes every `*_file` path absolute against the config's folder, as Prometheus does. */
function resolveFiles(config: Config, baseDir: string): void {
  for (const job of config.scrape_configs) {
    resolveDiscoveryFiles(job, baseDir);
    resolveTls(job.tls_config, baseDir);
    if (job.bearer_token_file !== undefined)
      job.bearer_token_file = expandPath(job.bearer_token_file, baseDir);
    const auth = job.authorization;
    if (auth?.credentials_file !== undefined)
      auth.credentials_file = expandPath(auth.credentials_file, baseDir);
    const basic = job.basic_auth;
    if (basic?.password_file !== undefined)
      basic.password_file = expandPath(basic.password_file, baseDir);
    if (basic?.username_file !== undefined)
      basic.username_file = expandPath(basic.username_file, baseDir);
  }
  for (const cluster of config.clusters) {
    if (cluster.kubeconfig?.path !== undefined)
      cluster.kubeconfig.path = expandPath(cluster.kubeconfig.path, baseDir);
    if (cluster.token && 'file' in cluster.token)
      cluster.token.file = expandPath(cluster.token.file, baseDir);
    resolveTls(cluster.etcd?.tls_config, baseDir);
  }
  resolveOperatorFiles(config.operator, baseDir);
  const rw = config.sinks.remote_write;
  if (rw) {
    resolveTls(rw.tls_config, baseDir);
    if (rw.authorization?.credentials_file !== undefined) {
      rw.authorization.credentials_file = expandPath(rw.authorization.credentials_file, baseDir);
    }
    if (rw.basic_auth?.password_file !== undefined) {
      rw.basic_auth.password_file = expandPath(rw.basic_auth.password_file, baseDir);
    }
  }
}

/**
 * zod's English messages, for the issues the schema gives no message of its own (`too_small`,
 * `invalid_union`, …). Classic zod registers them globally on import; `zod/mini` has none and
 * would say "Invalid input" (https://zod.dev/packages/mini#no-default-locale). Passed per parse
 * rather than through `z.config`, so nothing global changes when this module loads.
 */
const englishIssues: z.core.$ZodErrorMap = en().localeError;

function fail(problems: ConfigProblem[]): ConfigResult {
  problems.sort(byPosition);
  return { ok: false, problems, message: problems.map(formatProblem).join('\n') };
}

/**
 * Parses and validates configuration text. `origin` names it in messages (a path, `s3://…`);
 * `baseDir` is where relative `*_file` paths point (the config's folder).
 */
export async function parseConfig(
  text: string,
  origin: string,
  baseDir = process.cwd(),
  options: ParseOptions = {},
): Promise<ConfigResult> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  const at: Located = { doc, lines, origin };
  if (doc.errors.length > 0) {
    return fail(
      doc.errors.map((error) => {
        const pos = error.linePos?.[0];
        const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        return {
          file: origin,
          line: pos?.line ?? null,
          column: pos?.col ?? null,
          path: '',
          message,
        };
      }),
    );
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) {
    return fail([
      {
        file: origin,
        line: null,
        column: null,
        path: '',
        message: noChecksMessage('the file is empty'),
      },
    ]);
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    return fail([
      problemAt(
        at,
        [],
        `expected a mapping at the top (global, scrape_configs, clusters, …), got ${describe(data)}`,
      ),
    ]);
  }
  const parsed = configSchema.safeParse(data, { error: englishIssues });
  if (!parsed.success) return fail(problemsFromIssues(at, data, parsed.error.issues));
  const config = parsed.data;
  const version = options.prometheusVersion ?? config.compat.prometheus;
  const refused = await versionProblems(config, version);
  if (refused.length > 0) {
    const problems: ConfigProblem[] = [];
    for (const p of refused) {
      const unknown = /^field (\S+) not found in type /.exec(p.message)?.[1];
      const near =
        unknown === undefined ? null : nearest(unknown, await decoderKeysAt(p.path, version));
      const hint = near === null ? '' : `; did you mean ${near}?`;
      const message = `${p.message} (as Prometheus ${version} refuses it)${hint}`;
      // An unknown key is shown at the key itself, as the schema's own unknown keys are.
      problems.push(problemAt(at, p.path, message, unknown !== undefined));
    }
    return fail(problems);
  }
  if (!config.scrape_configs.some(hasCheck) && config.clusters.length === 0) {
    return fail([
      {
        file: origin,
        line: null,
        column: null,
        path: '',
        message: noChecksMessage(
          'no static_configs targets, no service discovery scrape-check has, and no clusters',
        ),
      },
    ]);
  }
  resolveFiles(config, baseDir);
  return {
    ok: true,
    config,
    warnings: ignoredKeyWarnings(at, data as Record<string, unknown>),
    origin,
  };
}

/** True when a job has something scrape-check can check: a static target or a discovery it has. */
function hasCheck(job: ScrapeConfig): boolean {
  return (
    job.static_configs.some((sc) => sc.targets.length > 0) ||
    SUPPORTED_DISCOVERY.some((key) => job[key].length > 0)
  );
}

function noChecksMessage(why: string): string {
  return `the configuration has no check in it (${why}); a monitor that checks nothing must not pass`;
}

/** Reads and parses a configuration file; a missing or unreadable file is a problem, not a throw. */
export async function loadConfigFile(
  path: string,
  options: ParseOptions = {},
): Promise<ConfigResult> {
  const problem = (message: string): ConfigResult =>
    fail([{ file: path, line: null, column: null, path: '', message }]);
  try {
    const info = await stat(path);
    if (info.isDirectory()) return problem('is a directory, not a configuration file');
    const text = await readFile(path, 'utf8');
    return await parseConfig(text, path, dirname(resolve(path)), options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      return problem('no such file (pass --config FILE, or create scrape-check.yaml here)');
    if (code === 'EACCES') return problem('permission denied');
    return problem(`cannot be read: ${(error as Error).message}`);
  }
}
