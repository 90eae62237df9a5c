/** A WHERE clause with positional parameters (`$1`, `$2` …), built up condition by condition. */
export class SqlWhere {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  /** Adds a condition; `?` placeholders are numbered in order. */
  add(sql: string, ...values: unknown[]): this {
    let i = 0;
    this.clauses.push(sql.replace(/\?/g, () => `$${this.params.length + ++i}`));
    this.params.push(...values);
    return this;
  }

  /** Adds a parameter without a condition and returns its placeholder, for use in subqueries. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  toString(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

/** Escapes `%`, `_` and `\\` so that a search text matches literally inside `LIKE '%…%'`. */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);
