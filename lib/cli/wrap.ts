/**
 * Wrapping for people: diagnoses under a table row, warnings on stderr. One rule for both, so a
 * warning reads like a diagnosis; a width of 0 (output to a pipe or a file) leaves lines whole,
 * for scripts that grep them.
 */

/**
 * Wraps `text` at `width` columns: the first line after `indent`, the others after `hang`. A
 * paragraph's own indentation (a YAML rule to paste) is kept on every line it wraps to.
 *
 * @example
 * wrap('warning: a long message …', 80, '', '    '); // ['warning: a long …', '    message …']
 */
export function wrap(text: string, width: number, indent: string, hang = indent): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    const own = /^ */.exec(paragraph)?.[0] ?? '';
    const words = paragraph.trim().split(' ');
    const lead = (): string => (lines.length === 0 ? indent : hang) + own;
    if (width <= hang.length + own.length + 20) {
      lines.push(lead() + words.join(' '));
      continue;
    }
    let line = '';
    let prefix = lead();
    for (const word of words) {
      if (line && prefix.length + line.length + 1 + word.length > width) {
        lines.push(prefix + line);
        prefix = lead();
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(prefix + line);
  }
  return lines;
}

/** A warning's lines: `warning: …`, wrapped like a diagnosis with a four-space hang. */
export function warningLines(message: string, width: number): string[] {
  return wrap(`warning: ${message}`, width, '', '    ');
}
