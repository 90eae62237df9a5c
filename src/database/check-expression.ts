/**
 * `column IN ('a', 'b')`: a check over a closed list of values, written the way the migrations
 * write it, so an entity's `@Check` and the TypeScript list it types its column with agree.
 */
export const oneOf = (column: string, values: readonly string[]): string =>
  `${column} IN (${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')})`;
