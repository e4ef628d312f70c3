/**
 * Label and field selectors as the API server parses and applies them, ported from
 * k8s.io/apimachinery `pkg/labels/selector.go` (lexer, parser, `Requirement.Matches`, the
 * requirement validation of `NewRequirement`) and `pkg/fields/selector.go` (`splitTerms`,
 * `splitTerm`, `UnescapeValue`): https://github.com/kubernetes/apimachinery/tree/master/pkg.
 * A parse error is a value whose message is the one the API server puts in its 400 Status.
 */

/** A parsed selector: `matches` is true for the objects the API server would return. */
export interface Selector<T> {
  matches(subject: T): boolean;
  /** True for the empty selector, which selects everything. */
  empty: boolean;
}

/** Why a selector was refused, as the API server's BadRequest message says it. */
export class SelectorError extends Error {
  override readonly name = 'SelectorError';
}

type Op = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | '>' | '<';
interface Requirement {
  key: string;
  op: Op;
  values: string[];
}

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
const TOKENS = new Set([')', ',', '!', '==', '=', '>', 'in', '<', '!=', 'notin', '(']);
const BINARY = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

/** The lexer of labels/selector.go: identifiers, keywords and the longest special symbol. */
function lex(s: string): { tok: string; lit: string }[] {
  const out: { tok: string; lit: string }[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && WHITESPACE.has(s[i]!)) i++;
    if (i >= s.length) {
      out.push({ tok: 'EOS', lit: '' });
      return out;
    }
    if (SPECIAL.has(s[i]!)) {
      let buffer = '';
      let last = '';
      while (i < s.length && SPECIAL.has(s[i]!)) {
        buffer += s.charAt(i);
        if (TOKENS.has(buffer)) last = buffer;
        else if (last !== '') break;
        i++;
      }
      if (last === '') throw new SelectorError(`error expected: keyword found '${buffer}'`);
      out.push({ tok: last, lit: last });
      continue;
    }
    const start = i;
    while (i < s.length && !SPECIAL.has(s[i]!) && !WHITESPACE.has(s[i]!)) i++;
    const word = s.slice(start, i);
    out.push({ tok: word === 'in' || word === 'notin' ? word : 'ID', lit: word });
  }
}

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** k8s.io/apimachinery pkg/util/validation IsQualifiedName, as label keys are validated. */
function checkKey(key: string): void {
  const parts = key.split('/');
  const name = parts.at(-1) ?? '';
  const errors: string[] = [];
  if (parts.length > 2) errors.push(`a qualified name must be of the form 'prefix/name'`);
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix === '') errors.push('prefix part must be non-empty');
    else if (prefix.length > 253 || !SUBDOMAIN.test(prefix))
      errors.push(
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      );
  }
  if (name === '') errors.push('name part must be non-empty');
  else if (name.length > 63) errors.push('name part must be no more than 63 characters');
  else if (!NAME.test(name)) errors.push(NAME_MSG);
  if (errors.length > 0)
    throw new SelectorError(`key: Invalid value: "${key}": ${errors.join('; ')}`);
}

function checkValue(key: string, value: string, index: number): void {
  const errors: string[] = [];
  if (value.length > 63) errors.push('must be no more than 63 characters');
  if (value !== '' && !NAME.test(value)) errors.push(VALUE_MSG);
  if (errors.length > 0)
    throw new SelectorError(
      `values[${index}][${key}]: Invalid value: "${value}": ${errors.join('; ')}`,
    );
}

/** `labels.Parse`: requirements joined by `,` (`a=b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`). */
function parseLabels(selector: string): Requirement[] {
  const items = lex(selector);
  let pos = 0;
  // In the Values context `in` and `notin` are identifiers (Parser.lookahead).
  const peek = (values = true) => {
    const it = items[pos]!;
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'ID', lit: it.lit } : it;
  };
  const take = (values = true) => {
    const it = peek(values);
    pos++;
    return it;
  };
  const requirement = (): Requirement => {
    let first = take();
    const not = first.tok === '!';
    if (not) first = take();
    if (first.tok !== 'ID') throw new SelectorError(`found '${first.lit}', expected: identifier`);
    const key = first.lit;
    checkKey(key);
    const next = peek().tok;
    if (not || next === 'EOS' || next === ',') return { key, op: not ? '!' : 'exists', values: [] };
    const op = take(false);
    let values: string[];
    if (op.tok === 'in' || op.tok === 'notin') {
      const open = take();
      if (open.tok !== '(') throw new SelectorError(`found '${open.lit}' expected: '('`);
      const set = new Set<string>();
      const look = peek();
      if (look.tok === ')') {
        take();
        set.add('');
      } else if (look.tok === 'ID' || look.tok === ',') {
        for (;;) {
          const t = take();
          if (t.tok === 'ID') {
            set.add(t.lit);
            const n = peek();
            if (n.tok === ',') continue;
            if (n.tok === ')') break;
            throw new SelectorError(`found '${n.lit}', expected: ',' or ')'`);
          } else if (t.tok === ',') {
            if (set.size === 0) set.add('');
            const n = peek();
            if (n.tok === ')') {
              set.add('');
              break;
            }
            if (n.tok === ',') set.add('');
          } else throw new SelectorError(`found '${t.lit}', expected: ',', or identifier`);
        }
        if (take().tok !== ')') throw new SelectorError(`found '${look.lit}', expected: ')'`);
      } else throw new SelectorError(`found '${look.lit}', expected: ',', ')' or identifier`);
      values = [...set].sort();
    } else if (['=', '==', '!=', '>', '<'].includes(op.tok)) {
      const n = peek();
      if (n.tok === 'EOS' || n.tok === ',') values = [''];
      else {
        const v = take();
        if (v.tok !== 'ID') throw new SelectorError(`found '${v.lit}', expected: identifier`);
        values = [v.lit];
      }
      if ((op.tok === '>' || op.tok === '<') && !/^[+-]?\d+$/.test(values[0] ?? ''))
        throw new SelectorError(
          `values[0]: Invalid value: "${values[0] ?? ''}": for 'Gt', 'Lt' operators, the value must be an integer`,
        );
    } else throw new SelectorError(`found '${op.lit}', expected: ${BINARY.join(', ')}`);
    values.forEach((v, i) => {
      checkValue(key, v, i);
    });
    return { key, op: op.tok as Op, values };
  };
  const out: Requirement[] = [];
  for (;;) {
    const t = peek();
    if (t.tok === 'EOS') return out;
    if (t.tok !== 'ID' && t.tok !== '!')
      throw new SelectorError(`found '${t.lit}', expected: !, identifier, or 'end of string'`);
    try {
      out.push(requirement());
    } catch (error) {
      throw new SelectorError(`unable to parse requirement: ${(error as Error).message}`);
    }
    const sep = take();
    if (sep.tok === 'EOS') return out;
    if (sep.tok !== ',')
      throw new SelectorError(`found '${sep.lit}', expected: ',' or 'end of string'`);
    const n = peek();
    if (n.tok !== 'ID' && n.tok !== '!')
      throw new SelectorError(`found '${n.lit}', expected: identifier after ','`);
  }
}

/** `Requirement.Matches` of labels/selector.go. */
function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key] ?? '';
  switch (r.op) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case '>':
    case '<': {
      if (!has || !/^[+-]?\d+$/.test(value)) return false;
      const left = BigInt(value);
      const right = BigInt(r.values[0] ?? '0');
      return r.op === '>' ? left > right : left < right;
    }
  }
}

/** Parses a `labelSelector`; throws SelectorError with the API server's message. */
export function parseLabelSelector(selector: string): Selector<Record<string, string>> {
  const requirements = parseLabels(selector);
  return {
    empty: requirements.length === 0,
    matches: (labels) => requirements.every((r) => requirementMatches(r, labels)),
  };
}

/** `fields.UnescapeValue`: `\\`, `\,` and `\=` are escapes; a bare `,` or `=` is an error. */
function unescape(value: string): string {
  let out = '';
  let slash = false;
  for (const c of value) {
    if (slash) {
      if (c !== '\\' && c !== ',' && c !== '=')
        throw new SelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      slash = false;
    } else if (c === '\\') slash = true;
    else if (c === ',' || c === '=')
      throw new SelectorError(`invalid field selector: unescaped character ${c}`);
    else out += c;
  }
  if (slash) throw new SelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/**
 * Parses a `fieldSelector` (`a=b`, `a==b`, `a!=b`, joined by `,`). `fieldOf` gives an object's
 * value for a field. A field not in `supported` is refused as the API server refuses it
 * (`field label not supported: <field>`); `supported` null checks the syntax only, as
 * fields.ParseSelector does in a client.
 */
export function parseFieldSelector<T>(
  selector: string,
  supported: readonly string[] | null,
  fieldOf: (subject: T, field: string) => string,
): Selector<T> {
  const terms: string[] = [];
  let start = 0;
  let slash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (slash) slash = false;
    else if (c === '\\') slash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  if (selector !== '') terms.push(selector.slice(start));
  const parsed = terms
    .filter((t) => t !== '')
    .map((term) => {
      for (let i = 0; i < term.length; i++) {
        for (const op of ['!=', '==', '=']) {
          if (term.startsWith(op, i)) {
            const field = term.slice(0, i);
            if (supported !== null && !supported.includes(field))
              throw new SelectorError(`field label not supported: ${field}`);
            return { field, not: op === '!=', value: unescape(term.slice(i + op.length)) };
          }
        }
      }
      throw new SelectorError(`invalid selector: '${selector}'; can't understand '${term}'`);
    });
  return {
    empty: parsed.length === 0,
    matches: (subject) => parsed.every((t) => (fieldOf(subject, t.field) === t.value) !== t.not),
  };
}
