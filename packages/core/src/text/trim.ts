// Trimming a set of characters off the ends of a string. The regex way, /[.,!?]+$/, restarts at
// every character of a run that does not reach the end and re-reads the run each time: a run of
// n punctuation marks followed by a letter costs n² steps. These loops read each character once.
// `unit` tests one UTF-16 unit (a pattern without the g or y flag, such as /[.,!?]/).

/** `text` without the characters at its end that `unit` matches. */
export function trimEndWhere(text: string, unit: RegExp): string {
  let end = text.length;
  while (end > 0 && unit.test(text.charAt(end - 1))) end -= 1;
  return text.slice(0, end);
}

/** `text` without the characters at its start that `unit` matches. */
export function trimStartWhere(text: string, unit: RegExp): string {
  let start = 0;
  while (start < text.length && unit.test(text.charAt(start))) start += 1;
  return text.slice(start);
}
