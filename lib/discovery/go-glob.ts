/**
 * Go's `path/filepath.Glob` and `Match` (golang/go `src/path/filepath/match.go`), which file_sd
 * expands its `files` with. Node's `fs.glob` is not the same: its `*` skips dotfiles (Go's matches
 * `.hidden.json`), it reads `{a,b}` as alternatives and `[!a]` as a negation (Go takes both
 * literally; Go negates with `[^a]`), and it knows `**`.
 *
 * Go's rules: `*` is any run of characters but `/`; `?` one character but `/`; `[abc]`, `[a-z]`,
 * `[^a-z]` a class; `\` escapes. A malformed pattern is `syntax error in pattern`. Matches come
 * sorted by name within each directory, joined with the directory (so cleaned: `./a/../b.json`
 * comes back as `b.json` when it has a wildcard, unchanged when it has none and exists).
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { compareGo } from './go-strings.ts';

/** Go's `filepath.ErrBadPattern`. */
export const BAD_PATTERN = 'syntax error in pattern';

class BadPattern extends Error {}

function scanChunk(pattern: string[]): { star: boolean; chunk: string[]; rest: string[] } {
  let p = pattern;
  let star = false;
  while (p[0] === '*') {
    p = p.slice(1);
    star = true;
  }
  let inRange = false;
  let i = 0;
  scan: for (; i < p.length; i++) {
    switch (p[i]) {
      case '\\':
        if (i + 1 < p.length) i++;
        break;
      case '[':
        inRange = true;
        break;
      case ']':
        inRange = false;
        break;
      case '*':
        if (!inRange) break scan;
    }
  }
  return { star, chunk: p.slice(0, i), rest: p.slice(i) };
}

// One range end of a class: a character, `\` escaping one; never `-`, `]` or the end.
function getEsc(chunk: string[], at: number): { r: string; next: number } {
  let i = at;
  if (i >= chunk.length || chunk[i] === '-' || chunk[i] === ']') throw new BadPattern();
  if (chunk[i] === '\\') {
    i++;
    if (i >= chunk.length) throw new BadPattern();
  }
  if (i + 1 >= chunk.length) throw new BadPattern();
  return { r: chunk[i]!, next: i + 1 };
}

// Matches `chunk` at the start of `s`; returns what is left of `s`, or null. After a failure it
// keeps reading the chunk only to find syntax errors, as Go does.
function matchChunk(chunkIn: string[], sIn: string[]): string[] | null {
  let chunk = chunkIn;
  let s = sIn;
  let failed = false;
  while (chunk.length > 0) {
    if (!failed && s.length === 0) failed = true;
    const c = chunk[0]!;
    if (c === '[') {
      const r = failed ? '' : s[0]!;
      if (!failed) s = s.slice(1);
      let i = 1;
      let negated = false;
      if (chunk[i] === '^') {
        negated = true;
        i++;
      }
      let match = false;
      let ranges = 0;
      for (;;) {
        if (chunk[i] === ']' && ranges > 0) {
          i++;
          break;
        }
        const lo = getEsc(chunk, i);
        let hi = lo;
        if (chunk[lo.next] === '-') hi = getEsc(chunk, lo.next + 1);
        i = hi.next;
        const cp = r.codePointAt(0);
        if (cp !== undefined && lo.r.codePointAt(0)! <= cp && cp <= hi.r.codePointAt(0)!) {
          match = true;
        }
        ranges++;
      }
      if (match === negated) failed = true;
      chunk = chunk.slice(i);
    } else if (c === '?') {
      if (!failed) {
        if (s[0] === '/') failed = true;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
    } else {
      let lit = c;
      if (c === '\\') {
        chunk = chunk.slice(1);
        if (chunk.length === 0) throw new BadPattern();
        lit = chunk[0]!;
      }
      if (!failed) {
        if (lit !== s[0]) failed = true;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
    }
  }
  return failed ? null : s;
}

/** Go's `filepath.Match` on Unix: whether `name` matches `pattern`; throws on a malformed one. */
function matchChars(patternIn: string[], nameIn: string[]): boolean {
  let pattern = patternIn;
  let name = nameIn;
  outer: while (pattern.length > 0) {
    const { star, chunk, rest } = scanChunk(pattern);
    pattern = rest;
    // A trailing * matches the rest of the name unless it has a /.
    if (star && chunk.length === 0) return !name.includes('/');
    const t = matchChunk(chunk, name);
    if (t !== null && (t.length === 0 || pattern.length > 0)) {
      name = t;
      continue;
    }
    if (star) {
      // Try the chunk further along, never past a /.
      for (let i = 0; i < name.length && name[i] !== '/'; i++) {
        const u = matchChunk(chunk, name.slice(i + 1));
        if (u !== null) {
          if (pattern.length === 0 && u.length > 0) continue;
          name = u;
          continue outer;
        }
      }
    }
    // Before failing, check the rest of the pattern is well formed.
    while (pattern.length > 0) {
      const next = scanChunk(pattern);
      pattern = next.rest;
      matchChunk(next.chunk, []);
    }
    return false;
  }
  return name.length === 0;
}

/** `filepath.Match`: true, false, or Go's `syntax error in pattern` as an Error. */
export function goMatch(pattern: string, name: string): boolean {
  try {
    return matchChars(Array.from(pattern), Array.from(name));
  } catch (error) {
    if (error instanceof BadPattern) throw new Error(BAD_PATTERN);
    throw error;
  }
}

const hasMeta = (path: string): boolean => /[*?[\\]/.test(path);

// Go's filepath.Split: everything up to and including the last separator, and the rest.
function split(path: string): [string, string] {
  const i = path.lastIndexOf('/');
  return [path.slice(0, i + 1), path.slice(i + 1)];
}

async function globDir(dir: string, pattern: string, matches: string[]): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) return;
  } catch {
    return; // Go ignores I/O errors here.
  }
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  names.sort(compareGo);
  for (const n of names) if (goMatch(pattern, n)) matches.push(posix.join(dir, n));
}

/**
 * Go's `filepath.Glob`: the paths matching `pattern`, or throws `syntax error in pattern`. A
 * pattern without wildcards comes back as is when something (even a broken symlink) is there.
 */
export async function goGlob(pattern: string, depth = 0): Promise<string[]> {
  goMatch(pattern, ''); // Go checks the whole pattern first.
  if (depth === 10_000) throw new Error(BAD_PATTERN);
  if (!hasMeta(pattern)) {
    try {
      await lstat(pattern);
      return [pattern];
    } catch {
      return [];
    }
  }
  const [rawDir, file] = split(pattern);
  // cleanGlobPath: "" is ".", "/" stays, otherwise drop the trailing separator.
  const dir = rawDir === '' ? '.' : rawDir === '/' ? rawDir : rawDir.slice(0, -1);
  const matches: string[] = [];
  if (!hasMeta(dir)) {
    await globDir(dir, file, matches);
    return matches;
  }
  if (dir === pattern) throw new Error(BAD_PATTERN);
  for (const d of await goGlob(dir, depth + 1)) await globDir(d, file, matches);
  return matches;
}
