import { mergeSourceCounts } from './digest-source-merge.js';

describe('mergeSourceCounts', () => {
  const U = 'unit-1';

  it('joins the outcome rows and the 新增 rows of the same unit and source', () => {
    const rows = mergeSourceCounts(
      [{ unitId: U, source: 'hotline', closed: 3, closedOnTime: 2, openOverdue: 1 }],
      [{ unitId: U, source: 'hotline', raised: 4 }],
    );
    expect(rows).toEqual([
      { unitId: U, source: 'hotline', raised: 4, closed: 3, closedOnTime: 2, openOverdue: 1 },
    ]);
  });

  it('keeps a row that only raised, and one that only closed or ran late', () => {
    const rows = mergeSourceCounts(
      [
        { unitId: U, source: 'leader', closed: 1, closedOnTime: 0, openOverdue: 0 },
        { unitId: null, source: 'leader', closed: 1, closedOnTime: 0, openOverdue: 2 },
      ],
      [
        // District-wide, a task still waiting for dispatch: raised, no unit row.
        { unitId: null, source: 'hotline', raised: 1 },
        { unitId: null, source: 'leader', raised: 5 },
      ],
    );
    expect(rows).toEqual([
      { unitId: U, source: 'leader', raised: 0, closed: 1, closedOnTime: 0, openOverdue: 0 },
      { unitId: null, source: 'leader', raised: 5, closed: 1, closedOnTime: 0, openOverdue: 2 },
      { unitId: null, source: 'hotline', raised: 1, closed: 0, closedOnTime: 0, openOverdue: 0 },
    ]);
  });

  it('never mixes a unit row with the district row of the same source', () => {
    const rows = mergeSourceCounts(
      [{ unitId: null, source: 'hotline', closed: 2, closedOnTime: 2, openOverdue: 0 }],
      [{ unitId: U, source: 'hotline', raised: 1 }],
    );
    expect(rows).toContainEqual({
      unitId: null,
      source: 'hotline',
      raised: 0,
      closed: 2,
      closedOnTime: 2,
      openOverdue: 0,
    });
    expect(rows).toContainEqual({
      unitId: U,
      source: 'hotline',
      raised: 1,
      closed: 0,
      closedOnTime: 0,
      openOverdue: 0,
    });
  });

  it('keeps the units apart', () => {
    const rows = mergeSourceCounts(
      [
        { unitId: U, source: 'hotline', closed: 1, closedOnTime: 1, openOverdue: 0 },
        { unitId: 'unit-2', source: 'hotline', closed: 2, closedOnTime: 0, openOverdue: 1 },
      ],
      [{ unitId: 'unit-2', source: 'hotline', raised: 3 }],
    );
    expect(rows).toEqual([
      { unitId: U, source: 'hotline', raised: 0, closed: 1, closedOnTime: 1, openOverdue: 0 },
      {
        unitId: 'unit-2',
        source: 'hotline',
        raised: 3,
        closed: 2,
        closedOnTime: 0,
        openOverdue: 1,
      },
    ]);
  });

  it('drops a row with nothing raised, closed or overdue', () => {
    const rows = mergeSourceCounts(
      [{ unitId: U, source: 'hotline', closed: 0, closedOnTime: 0, openOverdue: 0 }],
      [{ unitId: U, source: 'assessment', raised: 0 }],
    );
    expect(rows).toEqual([]);
  });
});
