/**
 * The text up to the first `separator` (a string, or a pattern's first match), or all of it when
 * there is none: what `text.split(separator)[0]` reads, typed as the string it always is.
 */
export function beforeFirst(text: string, separator: string | RegExp): string {
  const at = typeof separator === "string" ? text.indexOf(separator) : text.search(separator);
  return at === -1 ? text : text.slice(0, at);
}
