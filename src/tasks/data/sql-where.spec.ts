import { compileOnly } from '../../database/kysely.js';
import { SqlWhere } from '../../database/sql-where.js';
import { conditionOf } from './sql-where.js';

const compiled = (w: SqlWhere) => conditionOf(w).compile(compileOnly);

describe('conditionOf: the list filters as one Kysely condition', () => {
  it('is true without a filter', () => {
    expect(compiled(new SqlWhere())).toMatchObject({ sql: 'true', parameters: [] });
  });

  it('joins the clauses with AND, each in parentheses, binding each value again', () => {
    const w = new SqlWhere()
      .add('t.unit_id = ?', 'unit-a')
      .add("t.status = 'assigned'")
      .add('t.deadline < ? AND t.created_at >= ?', new Date(2), new Date(1));
    expect(compiled(w)).toMatchObject({
      sql: "(t.unit_id = $1) AND (t.status = 'assigned') AND (t.deadline < $2 AND t.created_at >= $3)",
      parameters: ['unit-a', new Date(2), new Date(1)],
    });
  });

  it('binds a parameter used twice, and ten or more, by its own number', () => {
    const w = new SqlWhere();
    const p = w.param('x');
    w.add(`a = ${p} OR b = ${p}`);
    for (let i = 0; i < 10; i++) w.add('c = ?', i);
    const { sql, parameters } = compiled(w);
    expect(sql.startsWith('(a = $1 OR b = $2) AND (c = $3)')).toBe(true);
    expect(sql.endsWith('(c = $12)')).toBe(true);
    expect(parameters).toEqual(['x', 'x', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
