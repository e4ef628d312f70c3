/**
 * The syntax check Prometheus runs on `selectors[].field`, with its messages: kubernetes/
 * apimachinery `pkg/fields/selector.go` (`ParseSelector`, `splitTerms`, `splitTerm`,
 * `UnescapeValue`), the same at v0.26.1 and v0.35.3.
 */

/** Splits on commas not escaped by a backslash (`splitTerms`). */
function splitTerms(selector: string): string[] {
  if (selector === '') return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/** `UnescapeValue`: only `\\`, `\,` and `\=` are escapes; a bare `,` or `=` is an error. */
function unescapeError(value: string): string | null {
  let escaped = false;
  for (const c of value) {
    if (escaped) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        return `invalid field selector: invalid escape sequence: \\${c}`;
      }
      escaped = false;
    } else if (c === '\\') escaped = true;
    // Go prints the rune with %v: its code point.
    else if (c === ',' || c === '=') {
      return `invalid field selector: unescaped character in value: ${c.codePointAt(0)!}`;
    }
  }
  return escaped ? 'invalid field selector: invalid escape sequence: \\' : null;
}

/**
 * Checks a field selector as `fields.ParseSelector` does; returns its error message, or null.
 *
 * @example
 * fieldSelectorError('metadata.status-Running');
 * // "invalid selector: 'metadata.status-Running'; can't understand 'metadata.status-Running'"
 */
export function fieldSelectorError(selector: string): string | null {
  // Go sorts the terms first, so the first bad term in sorted order is the one reported.
  for (const term of splitTerms(selector).sort()) {
    if (term === '') continue;
    const match = /!=|==|=/.exec(term);
    if (match === null) {
      return `invalid selector: '${selector}'; can't understand '${term}'`;
    }
    const problem = unescapeError(term.slice(match.index + match[0].length));
    if (problem !== null) return problem;
  }
  return null;
}
