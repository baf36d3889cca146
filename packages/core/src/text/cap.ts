// Every function that reads outside text (a lead's message, an email, model output, brand
// knowledge) first cuts it to a fixed size, so its cost has a ceiling whatever arrives. Each caller
// names its own limit and says why that size; these helpers only make the cut.

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** `text` when it has at most `maxChars` UTF-16 units; else its first `maxChars`, one fewer if the cut would split a surrogate pair. */
export function capLength(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = maxChars > 0 && isHighSurrogate(text.charCodeAt(maxChars - 1)) ? maxChars - 1 : maxChars;
  return text.slice(0, cut);
}

/**
 * Like capLength, but a cut never ends inside a word: the word the cut runs through is dropped
 * whole, so the cut cannot make a new word ("remove meat" cut to "remove me", "$1,500" to "$1,5").
 * `wordChar` tests one UTF-16 unit; a surrogate half always counts as part of a word.
 */
export function capAtWordEnd(text: string, maxChars: number, wordChar: RegExp): string {
  if (text.length <= maxChars) return text;
  const inWord = (index: number) => {
    const unit = text.charCodeAt(index);
    return (unit >= 0xd800 && unit <= 0xdfff) || wordChar.test(text.charAt(index));
  };
  let cut = Math.max(0, maxChars);
  if (!inWord(cut)) return text.slice(0, cut);
  while (cut > 0 && inWord(cut - 1)) cut -= 1;
  return text.slice(0, cut);
}
