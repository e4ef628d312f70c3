/**
 * Label key and value validation with apimachinery's messages: `validation.IsQualifiedName` and
 * `IsValidLabelValue` at v0.26.1 (Prometheus 2.42), `content.IsLabelKey` and `IsLabelValue` at
 * v0.35.3 (HEAD), which count bytes and call a key a "valid label key".
 */
import type { PromVersion } from '../types.ts';

const NAME_FORMAT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const NAME = new RegExp(`^${NAME_FORMAT}$`);
const NAME_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN_FORMAT = `${DNS_LABEL}(\\.${DNS_LABEL})*`;
const SUBDOMAIN = new RegExp(`^${SUBDOMAIN_FORMAT}$`);
const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const VALUE_FORMAT = `(${NAME_FORMAT})?`;
const VALUE = new RegExp(`^${VALUE_FORMAT}$`);
const VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** `RegexError`. */
function regexError(message: string, format: string, ...examples: string[]): string {
  const shown = examples.map((e) => `'${e}', `).join(' or ');
  return `${message} (e.g. ${shown}regex used for validation is '${format}')`;
}

function maxLenError(length: number, version: PromVersion): string {
  return `must be no more than ${length} ${version === '2' ? 'characters' : 'bytes'}`;
}

/** Go measures strings in bytes. */
function bytes(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

function subdomainErrors(value: string, version: PromVersion): string[] {
  const errors: string[] = [];
  if (bytes(value) > 253) errors.push(maxLenError(253, version));
  if (!SUBDOMAIN.test(value))
    errors.push(regexError(SUBDOMAIN_MESSAGE, SUBDOMAIN_FORMAT, 'example.com'));
  return errors;
}

/** What is wrong with a label key (`[prefix/]name`), or nothing. */
export function labelKeyErrors(key: string, version: PromVersion): string[] {
  const parts = key.split('/');
  const errors: string[] = [];
  if (parts.length > 2) {
    const what = version === '2' ? 'a qualified name' : 'a valid label key';
    const rule = regexError(NAME_MESSAGE, NAME_FORMAT, 'MyName', 'my.name', '123-abc');
    return [
      `${what} ${rule} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') errors.push('prefix part must be non-empty');
    else errors.push(...subdomainErrors(prefix, version).map((e) => `prefix part ${e}`));
  }
  if (name === '') errors.push('name part must be non-empty');
  else if (bytes(name) > 63) errors.push(`name part ${maxLenError(63, version)}`);
  if (!NAME.test(name)) {
    errors.push(
      `name part ${regexError(NAME_MESSAGE, NAME_FORMAT, 'MyName', 'my.name', '123-abc')}`,
    );
  }
  return errors;
}

/** What is wrong with a label value, or nothing. */
export function labelValueErrors(value: string, version: PromVersion): string[] {
  const errors: string[] = [];
  if (bytes(value) > 63) errors.push(maxLenError(63, version));
  if (!VALUE.test(value))
    errors.push(regexError(VALUE_MESSAGE, VALUE_FORMAT, 'MyValue', 'my_value', '12345'));
  return errors;
}
