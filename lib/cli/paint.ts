/**
 * ANSI colours for the terminal views. Each takes whether colour is on (the view's caller decides)
 * and the text, and returns the text unchanged when it is off.
 */
const paint =
  (code: number) =>
  (on: boolean, text: string): string =>
    on ? `\u001b[${code}m${text}\u001b[0m` : text;

/** Bold. */
export const bold = paint(1);
/** Dim (faint). */
export const dim = paint(2);
/** Red: a failure. */
export const red = paint(31);
/** Green: a success. */
export const green = paint(32);
/** Yellow: a warning. */
export const yellow = paint(33);
