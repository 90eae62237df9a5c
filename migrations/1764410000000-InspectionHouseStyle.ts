import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the 快报's house style needs from a 督导检查, 调研 or 会议 (issue 14): the kind 调研
 * (`survey`); the body that convened a meeting (召开: 区创城办, 区委区政府) and its purpose
 * (传达…会议精神); leaders with their titles (出席 a meeting, lead a visit); officials of the
 * visited unit who 陪同; collective participants that are not units (各镇街主要领导); remarks by
 * a speaker (指出/强调); who the requirements are attributed to and how they are numbered; what
 * was looked at on a visit; an alias for a visited site, per visit (石门营文化公园（石门营广场）).
 * Every column is optional or defaulted: rows written before read and render as they did.
 */
export class InspectionHouseStyle1764410000000 implements MigrationInterface {
  name = 'InspectionHouseStyle1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inspections DROP CONSTRAINT inspections_kind_check`);
    await q.query(`
      ALTER TABLE inspections
        ADD CONSTRAINT inspections_kind_check CHECK (kind IN ('inspection', 'meeting', 'survey')),
        ADD COLUMN convener varchar(100),
        ADD COLUMN purpose varchar(500),
        ADD COLUMN leaders jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN escorts jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN participant_groups text[] NOT NULL DEFAULT '{}',
        ADD COLUMN remarks jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN requirements_by varchar(100),
        ADD COLUMN requirement_numbering varchar(8) NOT NULL DEFAULT 'yao',
        ADD COLUMN looked_at varchar(200),
        ADD CONSTRAINT ck_inspections_requirement_numbering
          CHECK (requirement_numbering IN ('yao', 'shi', 'digits', 'none')),
        ADD CONSTRAINT ck_inspections_house_style_lists
          CHECK (jsonb_typeof(leaders) = 'array' AND jsonb_typeof(escorts) = 'array'
                 AND jsonb_typeof(remarks) = 'array' AND cardinality(participant_groups) <= 20)`);
    await q.query(`ALTER TABLE inspection_sites ADD COLUMN alias varchar(100)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inspection_sites DROP COLUMN alias`);
    await q.query(`DELETE FROM inspections WHERE kind = 'survey'`);
    await q.query(`
      ALTER TABLE inspections
        DROP CONSTRAINT ck_inspections_house_style_lists,
        DROP CONSTRAINT ck_inspections_requirement_numbering,
        DROP COLUMN convener, DROP COLUMN purpose, DROP COLUMN leaders, DROP COLUMN escorts,
        DROP COLUMN participant_groups, DROP COLUMN remarks, DROP COLUMN requirements_by,
        DROP COLUMN requirement_numbering, DROP COLUMN looked_at,
        DROP CONSTRAINT inspections_kind_check`);
    await q.query(
      `ALTER TABLE inspections ADD CONSTRAINT inspections_kind_check CHECK (kind IN ('inspection', 'meeting'))`,
    );
  }
}
