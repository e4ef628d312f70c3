/**
 * The syntax check Prometheus runs on `selectors[].label`, with its messages:
 * kubernetes/apimachinery `pkg/labels/selector.go` (`Parse`: lexer, parser, `NewRequirement`), at
 * v0.26.1 (Prometheus 2.42) and v0.35.3 (HEAD), which differ only in the wording of label key and
 * value validation.
 */
import type { PromVersion } from '../types.ts';
import { labelKeyErrors, labelValueErrors } from './selector-names.ts';

type Token =
  | 'error'
  | 'end'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | 'identifier'
  | 'in'
  | '<'
  | '!='
  | 'notin'
  | '(';

const KEYWORDS = new Set([')', ',', '!', '==', '=', '>', 'in', '<', '!=', 'notin', '(']);
const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
/** selection.Operator values in `binaryOperators` order, for the "expected" message. */
const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

interface Item {
  token: Token;
  literal: string;
}

/** The lexer (`Lexer.Lex`): a NUL reads as the end of the string, as Go's `read` returns 0. */
function lex(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  const read = (): string => (pos < input.length ? input[pos++]! : '\0');
  for (;;) {
    let ch = read();
    while (WHITESPACE.has(ch)) ch = read();
    if (ch === '\0') {
      items.push({ token: 'end', literal: '' });
      return items;
    }
    let buffer = '';
    if (SPECIAL.has(ch)) {
      // scanSpecialSymbol: the longest run of symbols that is still a token.
      let last: Item | null = null;
      while (SPECIAL.has(ch)) {
        buffer += ch;
        if (KEYWORDS.has(buffer)) last = { token: buffer as Token, literal: buffer };
        else if (last !== null) break;
        ch = read();
      }
      if (ch !== '\0') pos--;
      items.push(last ?? { token: 'error', literal: `error expected: keyword found '${buffer}'` });
      continue;
    }
    while (ch !== '\0' && !SPECIAL.has(ch) && !WHITESPACE.has(ch)) {
      buffer += ch;
      ch = read();
    }
    if (ch !== '\0') pos--;
    const keyword = buffer === 'in' || buffer === 'notin';
    items.push({ token: keyword ? (buffer as Token) : 'identifier', literal: buffer });
  }
}

class SelectorError extends Error {}

/** The parser (`Parser.parse`), throwing `SelectorError` with apimachinery's message. */
class Parser {
  #position = 0;
  readonly #items: Item[];
  readonly #version: PromVersion;

  constructor(input: string, version: PromVersion) {
    this.#items = lex(input);
    this.#version = version;
  }

  /** In a values context `in` and `notin` are identifiers. */
  #peek(values: boolean): Item {
    const item = this.#items[this.#position]!;
    return values && (item.token === 'in' || item.token === 'notin')
      ? { token: 'identifier', literal: item.literal }
      : item;
  }

  #next(values: boolean): Item {
    const item = this.#peek(values);
    this.#position++;
    return item;
  }

  parse(): void {
    for (;;) {
      const { token, literal } = this.#peek(true);
      if (token === 'end') return;
      if (token !== 'identifier' && token !== '!') {
        throw new SelectorError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
      try {
        this.#requirement();
      } catch (error) {
        if (!(error instanceof SelectorError)) throw error;
        throw new SelectorError(`unable to parse requirement: ${error.message}`);
      }
      const after = this.#next(true);
      if (after.token === 'end') return;
      if (after.token !== ',') {
        throw new SelectorError(`found '${after.literal}', expected: ',' or 'end of string'`);
      }
      const following = this.#peek(true);
      if (following.token !== 'identifier' && following.token !== '!') {
        throw new SelectorError(`found '${following.literal}', expected: identifier after ','`);
      }
    }
  }

  #requirement(): void {
    let item = this.#next(true);
    const negated = item.token === '!';
    if (negated) item = this.#next(true);
    if (item.token !== 'identifier') {
      throw new SelectorError(`found '${item.literal}', expected: identifier`);
    }
    const key = item.literal;
    const keyErrors = labelKeyErrors(key, this.#version);
    if (keyErrors.length > 0) {
      throw new SelectorError(`<nil>: Invalid value: ${quote(key)}: ${keyErrors.join('; ')}`);
    }
    const lookahead = this.#peek(true).token;
    if (negated || lookahead === 'end' || lookahead === ',') return;
    const operator = this.#next(false);
    let values: string[];
    if (operator.token === 'in' || operator.token === 'notin') values = this.#values();
    else if (['=', '==', '!=', '>', '<'].includes(operator.token)) values = this.#exactValue();
    else throw new SelectorError(`found '${operator.literal}', expected: ${BINARY_OPERATORS}`);
    this.#check(key, operator.token === '>' || operator.token === '<', values);
  }

  #values(): string[] {
    const open = this.#next(true);
    if (open.token !== '(') throw new SelectorError(`found '${open.literal}' expected: '('`);
    const { token, literal } = this.#peek(true);
    if (token === ')') {
      this.#position++;
      return [''];
    }
    if (token !== 'identifier' && token !== ',') {
      throw new SelectorError(`found '${literal}', expected: ',', ')' or identifier`);
    }
    const values = this.#identifierList();
    if (this.#next(true).token !== ')') {
      throw new SelectorError(`found '${literal}', expected: ')'`);
    }
    return values;
  }

  /** `parseIdentifiersList`: a set, so `(a,,a)` is `["", "a"]`. */
  #identifierList(): string[] {
    const values = new Set<string>();
    for (;;) {
      const { token, literal } = this.#next(true);
      if (token === 'identifier') {
        values.add(literal);
        const next = this.#peek(true);
        if (next.token === ',') continue;
        if (next.token === ')') return [...values].sort();
        throw new SelectorError(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (token !== ',')
        throw new SelectorError(`found '${literal}', expected: ',', or identifier`);
      if (values.size === 0) values.add('');
      const next = this.#peek(true).token;
      if (next === ')') {
        values.add('');
        return [...values].sort();
      }
      if (next === ',') values.add('');
    }
  }

  #exactValue(): string[] {
    const ahead = this.#peek(true).token;
    if (ahead === 'end' || ahead === ',') return [''];
    const { token, literal } = this.#next(true);
    if (token === 'identifier') return [literal];
    throw new SelectorError(`found '${literal}', expected: identifier`);
  }

  /** `NewRequirement`'s value checks, aggregated as `utilerrors.NewAggregate` prints them. */
  #check(key: string, numeric: boolean, values: string[]): void {
    const errors: string[] = [];
    if (numeric) {
      values.forEach((value, i) => {
        if (!isInt64(value)) {
          errors.push(
            `values[${i}]: Invalid value: ${quote(value)}: for 'Gt', 'Lt' operators, the value must be an integer`,
          );
        }
      });
    }
    values.forEach((value, i) => {
      const problems = labelValueErrors(value, this.#version);
      if (problems.length > 0) {
        errors.push(`values[${i}][${key}]: Invalid value: ${quote(value)}: ${problems.join('; ')}`);
      }
    });
    const unique = [...new Set(errors)];
    if (unique.length === 1) throw new SelectorError(unique[0]);
    if (unique.length > 1) throw new SelectorError(`[${unique.join(', ')}]`);
  }
}

/** Go's `strconv.ParseInt(value, 10, 64)` succeeds. */
function isInt64(value: string): boolean {
  if (!/^[+-]?\d+$/.test(value)) return false;
  const n = BigInt(value);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** Go's `%q` for the printable strings selectors hold. */
function quote(value: string): string {
  return JSON.stringify(value);
}

/**
 * Checks a label selector as `labels.Parse` does; returns its error message, or null when valid.
 *
 * @example
 * labelSelectorError('app in (a,b', '3'); // "found '', expected: ',' or ')'" wrapped
 */
export function labelSelectorError(selector: string, version: PromVersion): string | null {
  try {
    new Parser(selector, version).parse();
    return null;
  } catch (error) {
    if (error instanceof SelectorError) return error.message;
    throw error;
  }
}
