import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 点位检查清单 (issue 16): a checklist per kind of site, its items (each naming the category a
 * failure raises), and the walks of a checklist on an inspection (走查), one result per item.
 * - Items are deactivated rather than deleted once a walk used them (the FK from the results
 *   refuses the delete); a result keeps the item's text and category as they were when walked.
 * - A failed result carries the task it raised, and only a failed one (ck_…_task).
 */
export class Checklists1764320000000 implements MigrationInterface {
  name = 'Checklists1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE checklists (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_kind varchar(20) NOT NULL,
        name varchar(100) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_checklists_site_kind UNIQUE (site_kind)
      )`);
    await q.query(`
      CREATE TABLE checklist_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        checklist_id uuid NOT NULL REFERENCES checklists (id),
        position int NOT NULL,
        text varchar(200) NOT NULL,
        category_id uuid NOT NULL REFERENCES categories (id),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_checklist_items_position CHECK (position BETWEEN 1 AND 1000)
      )`);
    await q.query(
      `CREATE INDEX ix_checklist_items_checklist_id ON checklist_items (checklist_id, position)`,
    );
    await q.query(`CREATE INDEX ix_checklist_items_category_id ON checklist_items (category_id)`);
    await q.query(`
      CREATE TABLE checklist_walks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        inspection_id uuid NOT NULL REFERENCES inspections (id),
        site_id uuid NOT NULL REFERENCES sites (id),
        checklist_id uuid NOT NULL REFERENCES checklists (id),
        walked_by uuid NOT NULL REFERENCES users (id),
        found_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX ix_checklist_walks_inspection_id ON checklist_walks (inspection_id, created_at)`,
    );
    await q.query(
      `CREATE INDEX ix_checklist_walks_site_id ON checklist_walks (site_id, created_at)`,
    );
    await q.query(`CREATE INDEX ix_checklist_walks_checklist_id ON checklist_walks (checklist_id)`);
    await q.query(`CREATE INDEX ix_checklist_walks_walked_by ON checklist_walks (walked_by)`);
    await q.query(`
      CREATE TABLE checklist_walk_results (
        walk_id uuid NOT NULL REFERENCES checklist_walks (id),
        item_id uuid NOT NULL REFERENCES checklist_items (id),
        position int NOT NULL,
        item_text varchar(200) NOT NULL,
        category_id uuid NOT NULL REFERENCES categories (id),
        result varchar(4) NOT NULL,
        note varchar(500),
        attachment_ids uuid[] NOT NULL DEFAULT '{}',
        lat double precision,
        lng double precision,
        task_id uuid REFERENCES tasks (id),
        PRIMARY KEY (walk_id, item_id),
        CONSTRAINT ck_checklist_walk_results_result CHECK (result IN ('pass', 'fail', 'na')),
        CONSTRAINT ck_checklist_walk_results_task CHECK ((result = 'fail') = (task_id IS NOT NULL)),
        CONSTRAINT ck_checklist_walk_results_position CHECK ((lat IS NULL) = (lng IS NULL))
      )`);
    await q.query(
      `CREATE INDEX ix_checklist_walk_results_item_id ON checklist_walk_results (item_id)`,
    );
    await q.query(
      `CREATE INDEX ix_checklist_walk_results_category_id ON checklist_walk_results (category_id)`,
    );
    await q.query(
      `CREATE UNIQUE INDEX uq_checklist_walk_results_task_id ON checklist_walk_results (task_id) WHERE task_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE checklist_walk_results`);
    await q.query(`DROP TABLE checklist_walks`);
    await q.query(`DROP TABLE checklist_items`);
    await q.query(`DROP TABLE checklists`);
  }
}
