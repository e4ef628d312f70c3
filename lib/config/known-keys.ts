/**
 * Which keys are known where in a configuration: the zod schema's (every key scrape-check
 * validates itself) and, for the blocks Prometheus's own decoders check later (relabel rules and
 * service discovery, lib/relabel and lib/discovery), theirs. The loader uses them to suggest the
 * nearest known key for a mistyped one; the reference's test uses `schemaKeyPaths` to hold
 * docs/reference.md to the schema.
 */
import type { PromVersion } from '#lib/discovery/types.ts';
import { configSchema } from './schema.ts';

/** The parts of a zod schema's definition this module reads (zod 4's `_zod.def`). */
interface Def {
  type: string;
  shape?: Record<string, Schema>;
  innerType?: Schema;
  in?: Schema;
  element?: Schema;
  valueType?: Schema;
  options?: Schema[];
}
interface Schema {
  _zod: { def: Def };
}

const ROOT = configSchema as unknown as Schema;
const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch']);

/** The schema under optional/default/pipe wrappers, and each option of a union. */
function unwrap(schema: Schema): Schema[] {
  let s = schema;
  for (;;) {
    const def = s._zod.def;
    if (WRAPPERS.has(def.type) && def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else if (def.type === 'union') return (def.options ?? []).flatMap(unwrap);
    else return [s];
  }
}

function children(schema: Schema, segment: PropertyKey): Schema[] {
  return unwrap(schema).flatMap((s) => {
    const def = s._zod.def;
    if (def.type === 'object' && typeof segment === 'string') {
      const child = def.shape?.[segment];
      return child ? [child] : [];
    }
    if (def.type === 'array' && typeof segment === 'number' && def.element) return [def.element];
    if (def.type === 'record' && typeof segment === 'string' && def.valueType)
      return [def.valueType];
    return [];
  });
}

function shapes(schemas: Schema[]): Record<string, Schema>[] {
  return schemas.flatMap(unwrap).flatMap((s) => {
    const def = s._zod.def;
    return def.type === 'object' && def.shape ? [def.shape] : [];
  });
}

function shapesAt(path: readonly PropertyKey[]): Record<string, Schema>[] {
  let here = [ROOT];
  for (const segment of path) here = here.flatMap((s) => children(s, segment));
  return shapes(here);
}

/** The keys the schema knows for the mapping at `path` (empty when it is not a mapping). */
export function schemaKeysAt(path: readonly PropertyKey[]): string[] {
  return [...new Set(shapesAt(path).flatMap((shape) => Object.keys(shape)))];
}

/**
 * Where `key` would be known one level off, as a hint: under one of the mapping's own keys
 * (`ca_file` written beside `tls_config` instead of inside it), or in the mapping around it (the
 * indentation one step too deep). Null when neither.
 */
export function misplacedKey(path: readonly PropertyKey[], key: string): string | null {
  for (const shape of shapesAt(path)) {
    for (const [name, schema] of Object.entries(shape)) {
      if (shapes([schema]).some((inner) => key in inner))
        return `did you mean ${name}.${key}? (it belongs under ${name})`;
      if (shapes(children(schema, 0)).some((inner) => key in inner))
        return `did you mean ${name}[].${key}? (it belongs in an entry of ${name})`;
    }
  }
  // The mapping around this one: above the list this mapping is an entry of, if it is one.
  const outer = [...path];
  while (typeof outer.at(-1) === 'number') outer.pop();
  const own = outer.pop();
  if (own !== undefined && schemaKeysAt(outer).includes(key))
    return `${key} belongs one level up, beside ${String(own)} (check the indentation)`;
  return null;
}

/**
 * Every key path of the schema, as users write them: `scrape_configs[].tls_config.ca_file`; a
 * mapping whose keys the user names (`params`, `http_headers`) shows them as `<name>`.
 */
export function schemaKeyPaths(): string[] {
  const out: string[] = [];
  const walk = (schema: Schema, prefix: string, depth: number): void => {
    if (depth > 12) return;
    for (const s of unwrap(schema)) {
      const def = s._zod.def;
      if (def.type === 'object') {
        for (const [key, child] of Object.entries(def.shape ?? {})) {
          const path = prefix === '' ? key : `${prefix}.${key}`;
          if (!out.includes(path)) out.push(path);
          walk(child, path, depth + 1);
        }
      } else if (def.type === 'array' && def.element) walk(def.element, `${prefix}[]`, depth + 1);
      else if (def.type === 'record' && def.valueType)
        walk(def.valueType, `${prefix}.<name>`, depth + 1);
    }
  };
  walk(ROOT, '', 0);
  return out;
}

const RELABEL_KEYS = [
  'source_labels',
  'separator',
  'regex',
  'modulus',
  'target_label',
  'replacement',
  'action',
];

/**
 * The keys Prometheus's decoder knows where a `field X not found in type T` problem was found:
 * a relabel rule, or a service discovery block and its parts (lib/relabel/decode.ts,
 * lib/discovery). Loaded only on that error path, so a valid config never pays for it.
 */
export async function decoderKeysAt(
  path: readonly PropertyKey[],
  version: PromVersion,
): Promise<string[]> {
  const at = (n: number): PropertyKey | undefined => path[path.length - n];
  if (at(3) === 'relabel_configs' || at(3) === 'metric_relabel_configs') return RELABEL_KEYS;
  const { httpSdKeys } = await import('#lib/discovery/http-client-config.ts');
  const client = [...httpSdKeys(version)].filter((k) => k !== 'url' && k !== 'refresh_interval');
  if (at(3) === 'file_sd_configs') return ['files', 'refresh_interval'];
  if (at(3) === 'http_sd_configs') return [...httpSdKeys(version)];
  if (at(3) === 'kubernetes_sd_configs') {
    const own = ['role', 'api_server', 'kubeconfig_file', 'namespaces', 'selectors'];
    return [...own, 'attach_metadata', ...client];
  }
  if (at(2) === 'namespaces') return ['own_namespace', 'names'];
  if (at(3) === 'selectors') return ['role', 'label', 'field'];
  if (at(2) === 'attach_metadata') {
    const { ATTACH_METADATA_KEYS } = await import('#lib/discovery/kubernetes/config.ts');
    return [...ATTACH_METADATA_KEYS[version]];
  }
  return [];
}
