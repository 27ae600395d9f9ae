/**
 * Values a test expects to be there. With noUncheckedIndexedAccess an index may be undefined; these
 * fail with a sentence naming what was missing instead of a TypeError further on.
 */

/** The value, or a clear failure naming what the data or the page was expected to hold. */
export function required<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`expected ${what}, found none`);
  return value;
}

/** The item at `index` (negative counts from the end), or a failure naming it. */
export function at<T>(items: readonly T[], index: number, what: string): T {
  return required(items.at(index), `${what} (item ${index} of ${items.length})`);
}

/** A query's first row, or a clear failure naming the row the data was expected to hold. */
export async function firstRow<T>(rows: PromiseLike<readonly T[]>, what: string): Promise<T> {
  return required((await rows)[0], what);
}
