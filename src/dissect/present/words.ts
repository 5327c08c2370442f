// How a count is written in a sentence: findings' messages and the UI's status bar.

/** `1 byte`, `2 bytes`. */
export function plural(n: number, word: string): string {
  return n + ' ' + word + (n === 1 ? '' : 's');
}
