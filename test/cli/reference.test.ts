/**
 * docs/reference.md stays true to the code: every reason code, every option of every command (from
 * the commands' own option tables), every key of the config schema (walked), every function in
 * serverless.yml and every environment variable the functions read appear in it; and nothing it
 * lists as a reason code or an option is unknown to the code. The README links to it and maps every
 * folder.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { COMMANDS } from '#lib/cli/commands.ts';
import { HELP_OPTION } from '#lib/cli/options.ts';
import { schemaKeyPaths } from '#lib/config/known-keys.ts';
import { REASONS } from '#lib/result/reasons.ts';

const root = new URL('../../', import.meta.url);
const reference = readFileSync(new URL('docs/reference.md', root), 'utf8');

interface Section {
  level: number;
  heading: string;
  body: string;
}

/** The page cut at its headings: each section runs to the next heading of its level or above. */
function sections(text: string): Section[] {
  const lines = text.split('\n');
  const heads = lines.flatMap((line, i) => {
    const m = /^(#+) (.*)$/.exec(line);
    return m ? [{ i, level: m[1]!.length, heading: m[2]! }] : [];
  });
  return heads.map((h, k) => {
    const next = heads.slice(k + 1).find((n) => n.level <= h.level);
    return { ...h, body: lines.slice(h.i + 1, next?.i ?? lines.length).join('\n') };
  });
}

const all = sections(reference);
function section(heading: string): Section {
  const found = all.find((s) => s.heading === heading);
  assert.ok(found, `docs/reference.md has a section "${heading}"`);
  return found;
}
const ticked = (word: string): string => `\`${word}\``;

test('every reason code is in the reference, and it lists no other', () => {
  const body = section('Reason codes').body;
  const listed = [...body.matchAll(/^\| `([a-z0-9_]+)` +\|/gm)].map((m) => m[1]);
  assert.deepEqual(listed, [...REASONS]);
});

test('every command and option is in the reference, and it lists no option the code lacks', () => {
  for (const spec of COMMANDS) {
    const body = section(`\`scrape-check ${spec.name}\``).body;
    const options = [...spec.options, HELP_OPTION];
    for (const o of spec.options) {
      assert.ok(body.includes(`\`--${o.name}`), `${spec.name}: --${o.name} is documented`);
      if (o.short)
        assert.ok(body.includes(ticked(`-${o.short}`)), `${spec.name}: -${o.short} is documented`);
    }
    for (const [, name] of body.matchAll(/`--([a-z][a-z0-9-]*)/g)) {
      assert.ok(
        options.some((o) => o.name === name),
        `${spec.name}: the reference lists --${name}, which the command does not have`,
      );
    }
  }
  const codes = section('Exit codes').body;
  for (const code of new Set(COMMANDS.flatMap((c) => c.exitCodes.map(([n]) => n))))
    assert.ok(codes.includes(ticked(String(code))), `exit code ${code} is documented`);
});

test('every key of the config schema is in the reference, under its block', () => {
  const config = all.filter(
    (s) => s.level >= 3 && reference.indexOf(s.body) > reference.indexOf('## Configuration'),
  );
  const missing: string[] = [];
  for (const path of schemaKeyPaths()) {
    const segments = path.replaceAll('[]', '').replaceAll('.<name>', '').split('.');
    const key = segments.at(-1)!;
    const block = segments.at(-2);
    // The sections for this block: headed by a `path` whose last segment names it.
    const homes = config.filter((s) =>
      block === undefined
        ? s.heading === 'Top-level keys'
        : [...s.heading.matchAll(/`([^`]+)`/g)].some(
            (m) => m[1]!.replaceAll('[]', '').split('.').at(-1) === block,
          ),
    );
    if (!homes.some((s) => s.body.includes(ticked(key)))) missing.push(path);
  }
  assert.deepEqual(missing, [], 'keys of the schema missing from docs/reference.md');
});

test('every function and every environment variable the functions read is in the reference', () => {
  const body = section('Functions').body;
  const serverless = parse(readFileSync(new URL('serverless.yml', root), 'utf8')) as {
    provider: { environment?: Record<string, unknown> };
    functions: Record<string, { environment?: Record<string, unknown> }>;
  };
  for (const name of Object.keys(serverless.functions))
    assert.match(body, new RegExp(`^\\| \`${name}\` +\\|`, 'm'), `function ${name} is documented`);
  const variables = new Set([
    ...Object.keys(serverless.provider.environment ?? {}),
    ...Object.values(serverless.functions).flatMap((f) => Object.keys(f.environment ?? {})),
  ]);
  // lib/config/env.ts is the one module that reads the functions' environment.
  const env = readFileSync(new URL('lib/config/env.ts', root), 'utf8');
  for (const m of env.matchAll(/process\.env\.([A-Z_]+)|required\(\s*'([A-Z_]+)'/g))
    variables.add((m[1] ?? m[2])!);
  for (const variable of variables)
    assert.ok(body.includes(variable), `environment variable ${variable} is documented`);
  for (const [, listed] of body.matchAll(/`(SCRAPE_CHECK_[A-Z_]+)`/g))
    assert.ok(variables.has(listed!), `the reference lists ${listed}, which nothing reads`);
});

test('the README links to the reference and its map names every folder', () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  assert.ok(readme.includes('](docs/reference.md)'), 'README links to docs/reference.md');
  assert.ok(!readme.includes('shared/contract.md'), 'README sends no one outside the repository');
  const map = /```\n(\.ci\/[\s\S]*?)```/.exec(readme)?.[1] ?? '';
  // Build output and tools' caches are not the project's folders.
  const skip = new Set(['node_modules', 'dist', 'coverage', '.git', '.serverless', '.esbuild']);
  const folders = (dir: string, deep: boolean): string[] =>
    readdirSync(new URL(dir, root), { withFileTypes: true })
      .filter((e) => e.isDirectory() && !skip.has(e.name))
      .flatMap((e) => {
        const path = `${dir}${e.name}`;
        return deep ? [path, ...folders(`${path}/`, true)] : [path];
      });
  const wanted = [...folders('', false), ...folders('lib/', true)];
  const missing = wanted.filter((f) => !new RegExp(`^${f.replace('.', '\\.')}/? `, 'm').test(map));
  assert.deepEqual(missing, [], "folders missing from the README's map");
});
