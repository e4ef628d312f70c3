/**
 * The part of Prometheus's YAML decoding (`yaml.UnmarshalStrict`, gopkg.in/yaml.v2 and its fork
 * go.yaml.in/yaml/v2) that a validator over already-parsed YAML can reproduce: type errors and
 * unknown fields, worded as yaml.v2 words them (`cannot unmarshal !!str \`x\` into bool`,
 * `field x not found in type kubernetes.plain`), without the `line N:` prefix, which the caller
 * knows from the path.
 */

/** A problem at a key path. */
export interface ValidationError {
  path: (string | number)[];
  message: string;
}

/** A YAML mapping as the YAML parser hands it over. */
export type Mapping = Record<string, unknown>;

/** Whether a value is a YAML mapping. */
export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The YAML tag yaml.v2 would name for a parsed value. */
function tagOf(value: unknown): string {
  if (value === null || value === undefined) return '!!null';
  if (Array.isArray(value)) return '!!seq';
  switch (typeof value) {
    case 'string':
      return '!!str';
    case 'boolean':
      return '!!bool';
    case 'number':
    case 'bigint':
      return Number.isInteger(value) ? '!!int' : '!!float';
    default:
      return '!!map';
  }
}

/**
 * Accumulates yaml.v2's type errors, which it reports together once decoding ends; a fatal error
 * (an `UnmarshalYAML` that fails, like an unknown role) stops decoding and is reported alone.
 */
export class Decoder {
  readonly errors: ValidationError[] = [];
  fatal: ValidationError | null = null;

  /** `cannot unmarshal !!<tag> [`value`] into <goType>`. */
  typeError(path: (string | number)[], value: unknown, goType: string): void {
    const shown =
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'boolean' ||
      typeof value === 'bigint'
        ? ` \`${String(value)}\``
        : '';
    this.errors.push({ path, message: `cannot unmarshal ${tagOf(value)}${shown} into ${goType}` });
  }

  /** `field <key> not found in type <goType>`. */
  unknownField(path: (string | number)[], key: string, goType: string): void {
    this.errors.push({ path, message: `field ${key} not found in type ${goType}` });
  }

  /**
   * A string field: yaml.v2 decodes any scalar into a string (from its source text, here from
   * the parsed value); null is the zero value, "".
   */
  string(path: (string | number)[], value: unknown, goType = 'string'): string | null {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
      return String(value);
    }
    this.typeError(path, value, goType);
    return null;
  }

  /** A bool field: null is the zero value, false. */
  bool(path: (string | number)[], value: unknown): boolean {
    if (value === null || value === undefined) return false;
    if (typeof value === 'boolean') return value;
    this.typeError(path, value, 'bool');
    return false;
  }

  /** A struct field: its keys, or null (after a type error) when the value is not a mapping. */
  mapping(path: (string | number)[], value: unknown, goType: string): Mapping | null {
    if (value === null || value === undefined) return {};
    if (isMapping(value)) return value;
    this.typeError(path, value, goType);
    return null;
  }

  /** A slice field: its items, or null when the value is not a sequence. */
  sequence(path: (string | number)[], value: unknown, goType: string): unknown[] | null {
    if (value === null || value === undefined) return [];
    if (Array.isArray(value)) return value as unknown[];
    this.typeError(path, value, goType);
    return null;
  }
}
