/**
 * Where sticky `pattern` (flag y) ends when matched at `position`, or -1. Scanners use it to try
 * one fixed shape at a chosen place instead of letting a global regex restart everywhere.
 */
export function stickyEnd(pattern: RegExp, text: string, position: number): number {
  pattern.lastIndex = position;
  return pattern.test(text) ? pattern.lastIndex : -1;
}
