/**
 * A YAML list of target groups decoded as `yaml.UnmarshalStrict(b, &[]*targetgroup.Group)` in
 * gopkg.in/yaml.v2 (go.yaml.in/yaml/v2 at HEAD) decodes it, with its errors:
 *
 * - a wrong type or unknown key is collected, decoding goes on, and all are reported together:
 *   `yaml: unmarshal errors:\n  line 3: field foo not found in type struct { … }`;
 * - any scalar reads as its text into a string (`5`, `yes`, `0x10` stay as written); a null
 *   (`~`, `null`, empty) reads as `""`; a `null` group is refused after decoding
 *   (`nil target group item found`), but `NULL`, which yaml.v2's shortcut misses, is an empty group;
 * - a duplicate key is an error (`field targets already set`, `key "a" already set in map`);
 * - an invalid label name stops at once: `"a-b" is not a valid label name` (Go gives no line; the
 *   position returned is the key's);
 * - only the first document is read; aliases and `<<` merges work.
 *
 * The source is yaml.v2 `decode.go` (`terror`, `mappingStruct`, `setMapIndex`, `merge`) and
 * `resolve.go`. Syntax errors come from the `yaml` package, whose wording differs from yaml.v2's.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import { goQuote } from './go-strings.ts';
import { scalarTag, scalarText as text } from './yaml-scalars.ts';
import type { DecodedGroup, DecodedGroups, Position } from './target-groups.ts';
import { isValidLabelName, NIL_GROUP, setLabel } from './target-groups.ts';
import type { LabelSet, PromVersion } from './types.ts';

const GROUP_TYPE =
  'struct { Targets []string "yaml:\\"targets\\""; Labels model.LabelSet "yaml:\\"labels\\"" }';

class Fatal extends Error {
  readonly node: Node | null;
  constructor(message: string, node: Node | null) {
    super(message);
    this.node = node;
  }
}

class Decoder {
  readonly terrors: { message: string; node: Node }[] = [];
  private readonly doc: Document;
  private readonly version: PromVersion;
  private readonly line: (node: Node) => number;
  constructor(doc: Document, version: PromVersion, line: (node: Node) => number) {
    this.doc = doc;
    this.version = version;
    this.line = line;
  }

  resolve(node: Node | null | undefined): Node | null {
    const seen = new Set<Node>();
    let n = node ?? null;
    while (n && isAlias(n) && !seen.has(n)) {
      seen.add(n);
      n = n.resolve(this.doc) ?? null;
    }
    return n;
  }

  /** yaml.v2 reads a null into a plain value as its zero value. */
  isNull(node: Node | null): boolean {
    return node === null || (isScalar(node) && scalarTag(node) === '!!null');
  }

  /**
   * yaml.v2 `prepare`: for these spellings of null (not `Null` or `NULL`) a custom unmarshaler
   * is skipped and the value left zero (a nil pointer, an empty name).
   */
  isNilShortcut(node: Node | null): boolean {
    if (node === null) return true;
    if (!isScalar(node)) return false;
    if (node.tag === 'tag:yaml.org,2002:null') return true;
    return !node.tag && node.type === 'PLAIN' && ['', '~', 'null'].includes(text(node));
  }

  terror(node: Node, into: string): void {
    let what: string;
    if (isMap(node)) what = '!!map';
    else if (isSeq(node)) what = '!!seq';
    else {
      const scalar = node as Scalar;
      // yaml.v2 shows the scalar as written (a `!!binary` one still encoded).
      const raw = scalar.source ?? text(scalar);
      what = `${scalarTag(scalar)} \`${raw.length > 10 ? `${raw.slice(0, 7)}...` : raw}\``;
    }
    const message = `line ${this.line(node)}: cannot unmarshal ${what} into ${into}`;
    this.terrors.push({ message, node });
  }

  list(root: Node | null): DecodedGroup[] {
    const node = this.resolve(root);
    if (node === null || this.isNull(node)) return [];
    if (!isSeq(node)) {
      this.terror(node, '[]*targetgroup.Group');
      return [];
    }
    const groups: DecodedGroup[] = [];
    let nil: Node | null = null;
    for (const raw of node.items as Node[]) {
      const item = this.resolve(raw);
      if (this.isNilShortcut(item)) nil ??= item ?? raw;
      else groups.push(this.group(item!));
    }
    if (nil && this.terrors.length === 0) throw new Fatal(NIL_GROUP, nil);
    return groups;
  }

  group(node: Node): DecodedGroup {
    const group: DecodedGroup = { targets: [], labels: {} };
    if (this.isNull(node)) return group;
    if (!isMap(node)) this.terror(node, GROUP_TYPE);
    else this.groupFields(node, group);
    return group;
  }

  /**
   * The map's pairs, key and value resolved, in order; a `<<` merge key (plain, untagged) is not
   * yielded: its value is merged through `onMerge` at that point instead.
   */
  *pairs(node: YAMLMap, onMerge: (map: YAMLMap) => void): Generator<[Node | null, Node | null]> {
    for (const pair of node.items) {
      const key = this.resolve(pair.key as Node);
      const value = this.resolve(pair.value as Node);
      if (key && isScalar(key) && key.type === 'PLAIN' && !key.tag && key.value === '<<')
        this.merge(value, onMerge);
      else yield [key, value];
    }
  }

  groupFields(node: YAMLMap, group: DecodedGroup): void {
    const done = new Set<string>();
    const mergeFields = (m: YAMLMap): void => {
      this.groupFields(m, group);
    };
    for (const [key, value] of this.pairs(node, mergeFields)) {
      if (!key || !isScalar(key)) {
        if (key) this.terror(key, 'string');
        continue;
      }
      const name = text(key);
      if (name !== 'targets' && name !== 'labels') {
        this.terrors.push({
          message: `line ${this.line(key)}: field ${name} not found in type ${GROUP_TYPE}`,
          node: key,
        });
      } else if (done.has(name)) {
        this.terrors.push({
          message: `line ${this.line(key)}: field ${name} already set in type ${GROUP_TYPE}`,
          node: key,
        });
      } else {
        done.add(name);
        if (name === 'targets') group.targets = this.targets(value);
        // A second `labels` (through a merge) adds to the same map, as yaml.v2 reuses it.
        else group.labels = this.labels(value, group.labels);
      }
    }
  }

  targets(node: Node | null): LabelSet[] {
    if (this.isNull(node)) return [];
    if (!isSeq(node)) {
      this.terror(node!, '[]string');
      return [];
    }
    const targets: LabelSet[] = [];
    for (const raw of node.items as Node[]) {
      const item = this.resolve(raw);
      if (this.isNull(item)) targets.push({ __address__: '' });
      else if (isScalar(item)) targets.push({ __address__: text(item) });
      else this.terror(item!, 'string');
    }
    return targets;
  }

  labels(node: Node | null, into: LabelSet): LabelSet {
    if (this.isNull(node)) return {};
    if (!isMap(node)) {
      this.terror(node!, 'model.LabelSet');
      return into;
    }
    const mergeLabels = (m: YAMLMap): void => {
      this.labels(m, into);
    };
    for (const [key, value] of this.pairs(node, mergeLabels)) {
      if (key && !isScalar(key)) {
        this.terror(key, 'string');
        continue;
      }
      // model.LabelName.UnmarshalYAML: an invalid name is a plain error, which stops decoding.
      // yaml.v2 `prepare` skips the unmarshaler for a null spelled `~`, `null` or nothing, so
      // that key becomes the name "" unchecked (promtool check config accepts `{~: x}`).
      const name = this.isNull(key) ? '' : text(key as Scalar);
      if (!this.isNilShortcut(key) && !isValidLabelName(name, this.version)) {
        throw new Fatal(`${goQuote(name)} is not a valid label name`, key);
      }
      let labelValue: string;
      if (this.isNull(value)) labelValue = '';
      else if (isScalar(value)) labelValue = text(value);
      else {
        this.terror(value!, 'model.LabelValue');
        continue;
      }
      if (Object.hasOwn(into, name)) {
        const at = value ?? key!;
        const message = `line ${this.line(at)}: key ${goQuote(name)} already set in map`;
        this.terrors.push({ message, node: at });
      } else setLabel(into, name, labelValue);
    }
    return into;
  }

  /** `<<: *anchor` or `<<: [*a, *b]` (later maps first, so earlier ones win). */
  merge(node: Node | null, apply: (map: YAMLMap) => void): void {
    const fail = (): never => {
      throw new Fatal('map merge requires map or sequence of maps as the value', node);
    };
    if (node && isMap(node)) apply(node);
    else if (node && isSeq(node)) {
      for (const raw of [...(node.items as Node[])].reverse()) {
        const item = this.resolve(raw);
        if (!item || !isMap(item)) fail();
        else apply(item);
      }
    } else fail();
  }
}

/** Reads a YAML list of target groups from bytes, or fails as Prometheus fails. */
export function readYamlGroups(b: Uint8Array, version: PromVersion): DecodedGroups {
  const lines = new LineCounter();
  const position = (offset: number): Position => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return { ok: false, message: 'yaml: invalid leading UTF-8 octet', position: null };
  }
  // yaml.v2 reads only the first document, and so only its syntax errors count.
  const [doc] = parseAllDocuments(source, {
    schema: 'failsafe',
    uniqueKeys: false,
    prettyErrors: false,
    keepSourceTokens: true,
    lineCounter: lines,
  });
  if (!doc) return { ok: true, groups: [] };
  const syntax = doc.errors[0];
  if (syntax)
    return { ok: false, message: `yaml: ${syntax.message}`, position: position(syntax.pos[0]) };
  const line = (node: Node): number => position(node.range?.[0] ?? 0).line;
  const decoder = new Decoder(doc, version, line);
  try {
    const groups = decoder.list(doc.contents);
    const first = decoder.terrors[0];
    if (!first) return { ok: true, groups };
    const message = `yaml: unmarshal errors:\n  ${decoder.terrors.map((e) => e.message).join('\n  ')}`;
    return { ok: false, message, position: position(first.node.range?.[0] ?? 0) };
  } catch (error) {
    if (!(error instanceof Fatal)) throw error;
    const at = error.node?.range?.[0];
    return { ok: false, message: error.message, position: at === undefined ? null : position(at) };
  }
}
