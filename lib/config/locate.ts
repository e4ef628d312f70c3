/**
 * Where a key path sits in the YAML document: the line and column a configuration problem names,
 * and the value found there (for messages that say what was found).
 */
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type parseDocument,
} from 'yaml';
import { formatPath, type ConfigProblem } from './errors.ts';

/** A parsed document with its line counter and the name it is reported under. */
export interface Located {
  doc: ReturnType<typeof parseDocument>;
  lines: LineCounter;
  origin: string;
}

/** Finds the YAML node at `path`, or the deepest node on the way when the rest is missing. */
function nodeAt(doc: Located['doc'], path: readonly PropertyKey[], wantKey: boolean): Node | null {
  let node: unknown = doc.contents;
  let found: Node | null = (node as Node | null) ?? null;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (!pair) return found;
      const last = i === path.length - 1;
      if (last && wantKey && isScalar(pair.key)) return pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else return found;
    if (node && typeof node === 'object' && 'range' in node) found = node as Node;
    else if (isPair(node)) return found;
  }
  return found;
}

/** A problem at `path`: on its key when `wantKey`, else on its value (or the deepest node there). */
export function problemAt(
  at: Located,
  path: readonly PropertyKey[],
  message: string,
  wantKey = false,
): ConfigProblem {
  const node = nodeAt(at.doc, path, wantKey);
  const offset = node?.range?.[0];
  const pos = offset === undefined ? null : at.lines.linePos(offset);
  return {
    file: at.origin,
    line: pos?.line ?? null,
    column: pos?.col ?? null,
    path: formatPath(path),
    message,
  };
}

/** A value as messages name it: `the string "a"`, `number 12`, `a list`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** The value at `path` in the decoded data, or undefined. */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}
