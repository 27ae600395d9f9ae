type Tuple<T, N extends number, Acc extends T[] = []> = Acc["length"] extends N ? Acc : Tuple<T, N, [...Acc, T]>;

/**
 * The first `count` items of a list that is known to hold them: the required capture groups of a
 * match, the fields of an already validated text. TypeScript cannot see that, so a missing one is a
 * bug and throws, naming `what`.
 */
export function leadingItems<T, N extends number>(
  items: readonly (T | undefined)[],
  count: N,
  what: string,
): Tuple<T, N> {
  const leading = items.slice(0, count);
  if (leading.length < count || leading.some((item) => item === undefined)) {
    throw new Error(`${what} has fewer than ${count} parts.`);
  }
  return leading as Tuple<T, N>;
}
