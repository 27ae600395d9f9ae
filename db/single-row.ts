/**
 * The row of a statement that always returns exactly one (an `insert ... returning` of one row, an
 * aggregate without `group by`): none means the database broke that promise, so it throws.
 */
export function singleRow<T>(rows: readonly T[], statement: string): T {
  const [row] = rows;
  if (row === undefined) throw new Error(`${statement} returned no row.`);
  return row;
}
