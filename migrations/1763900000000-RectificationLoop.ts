import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The closed loop: inspections, rectification tasks and everything that happens to them
 * (submissions, checks, extension requests, disputes), photos, the append-only event trail,
 * and idempotency keys for retried creates.
 */
export class RectificationLoop1763900000000 implements MigrationInterface {
  name = 'RectificationLoop1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE TABLE inspections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(16) NOT NULL CHECK (kind IN ('inspection', 'meeting')),
        activity varchar(200) NOT NULL,
        lead_persons text[] NOT NULL CHECK (cardinality(lead_persons) > 0),
        lead_rank int NOT NULL DEFAULT 100,
        accompanying text[] NOT NULL DEFAULT '{}',
        held_on date NOT NULL,
        location varchar(200) NOT NULL,
        target varchar(100),
        focus varchar(200),
        requirements jsonb NOT NULL DEFAULT '[]',
        source varchar(100) NOT NULL DEFAULT '本刊',
        notes text,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_inspections_held_on ON inspections (held_on, id)`);
    await q.query(`CREATE INDEX ix_inspections_created_by ON inspections (created_by)`);
    await q.query(`
      CREATE TABLE inspection_units (
        inspection_id uuid NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
        unit_id uuid NOT NULL REFERENCES units (id),
        position int NOT NULL,
        PRIMARY KEY (inspection_id, unit_id)
      )`);
    await q.query(`CREATE INDEX ix_inspection_units_unit_id ON inspection_units (unit_id)`);
    await q.query(`
      CREATE TABLE inspection_sites (
        inspection_id uuid NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
        site_id uuid NOT NULL REFERENCES sites (id),
        position int NOT NULL,
        PRIMARY KEY (inspection_id, site_id)
      )`);
    await q.query(`CREATE INDEX ix_inspection_sites_site_id ON inspection_sites (site_id)`);

    await q.query(`
      CREATE TABLE task_number_counters (
        year int PRIMARY KEY,
        last_value int NOT NULL
      )`);
    await q.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number varchar(20) NOT NULL,
        inspection_id uuid REFERENCES inspections (id),
        category_id uuid NOT NULL REFERENCES categories (id),
        site_id uuid REFERENCES sites (id),
        address varchar(200),
        lat double precision CHECK (lat BETWEEN -90 AND 90),
        lng double precision CHECK (lng BETWEEN -180 AND 180),
        description text NOT NULL,
        unit_id uuid REFERENCES units (id),
        status varchar(20) NOT NULL CHECK (status IN ('pending_dispatch', 'assigned', 'submitted', 'on_hold', 'closed', 'cancelled')),
        assigned_at timestamptz,
        deadline timestamptz,
        deadline_overridden boolean NOT NULL DEFAULT false,
        verification_policy varchar(16) CHECK (verification_policy IN ('on_site', 'spot_check', 'self_close')),
        rework_count int NOT NULL DEFAULT 0,
        reopen_count int NOT NULL DEFAULT 0,
        extension_count int NOT NULL DEFAULT 0,
        hold_reason text,
        hold_review_on date,
        duplicate_of_id uuid REFERENCES tasks (id),
        closed_at timestamptz,
        closed_on_time boolean,
        closed_unverified boolean,
        cancelled_at timestamptz,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        CONSTRAINT uq_tasks_number UNIQUE (number),
        CONSTRAINT ck_tasks_where CHECK (site_id IS NOT NULL OR address IS NOT NULL),
        CONSTRAINT ck_tasks_assigned CHECK (status IN ('pending_dispatch', 'cancelled') OR (unit_id IS NOT NULL AND deadline IS NOT NULL AND assigned_at IS NOT NULL)),
        CONSTRAINT ck_tasks_closed CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
        CONSTRAINT ck_tasks_not_self_duplicate CHECK (duplicate_of_id <> id)
      )`);
    // Task numbers (ZG-2026-000123) are gapless per year, so they come from a counter row, and
    // that row stays locked until the creating transaction ends. A deferred trigger takes the
    // number inside COMMIT itself, so concurrent creates queue for the commit only, not for the
    // whole transaction. A task is inserted with a ZG-NEW-… placeholder that never commits.
    await q.query(`
      CREATE FUNCTION assign_task_number() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        y int := extract(year FROM NEW.created_at AT TIME ZONE 'Asia/Shanghai')::int;
        n int;
      BEGIN
        IF NEW.number NOT LIKE 'ZG-NEW-%' THEN
          RETURN NULL;
        END IF;
        INSERT INTO task_number_counters (year, last_value) VALUES (y, 1)
          ON CONFLICT (year) DO UPDATE SET last_value = task_number_counters.last_value + 1
          RETURNING last_value INTO n;
        UPDATE tasks SET number = 'ZG-' || y || '-' || lpad(n::text, 6, '0') WHERE id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER tr_tasks_number AFTER INSERT ON tasks
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION assign_task_number()`);
    // Keyset orders of the list and the filters it offers; every foreign key indexed.
    await q.query(`CREATE INDEX ix_tasks_created ON tasks (created_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX ix_tasks_unit_created ON tasks (unit_id, created_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX ix_tasks_status_deadline ON tasks (status, deadline, id)`);
    await q.query(
      `CREATE INDEX ix_tasks_unit_status_deadline ON tasks (unit_id, status, deadline, id)`,
    );
    await q.query(`CREATE INDEX ix_tasks_deadline ON tasks (deadline, id)`);
    await q.query(
      `CREATE INDEX ix_tasks_closed_at ON tasks (closed_at, id) WHERE closed_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX ix_tasks_category_id ON tasks (category_id, created_at DESC)`);
    await q.query(`CREATE INDEX ix_tasks_site_id ON tasks (site_id)`);
    await q.query(`CREATE INDEX ix_tasks_inspection_id ON tasks (inspection_id)`);
    await q.query(
      `CREATE INDEX ix_tasks_duplicate_of_id ON tasks (duplicate_of_id) WHERE duplicate_of_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX ix_tasks_created_by ON tasks (created_by)`);
    await q.query(
      `CREATE INDEX ix_tasks_text ON tasks USING gin ((number || ' ' || description || ' ' || coalesce(address, '')) gin_trgm_ops)`,
    );

    await q.query(`
      CREATE TABLE attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        sha256 char(64) NOT NULL,
        mime varchar(32) NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
        size_bytes int NOT NULL CHECK (size_bytes > 0),
        storage_key varchar(200) NOT NULL,
        original_name varchar(255),
        uploaded_by_kind varchar(8) NOT NULL CHECK (uploaded_by_kind IN ('user', 'api_key')),
        uploaded_by_id uuid NOT NULL,
        unit_id uuid REFERENCES units (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_attachments_sha256 ON attachments (sha256)`);
    await q.query(`CREATE INDEX ix_attachments_uploaded_by ON attachments (uploaded_by_id)`);
    await q.query(`CREATE INDEX ix_attachments_unit_id ON attachments (unit_id)`);

    await q.query(`
      CREATE TABLE task_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        task_id uuid NOT NULL REFERENCES tasks (id),
        action varchar(32) NOT NULL,
        from_status varchar(20),
        to_status varchar(20) NOT NULL,
        actor_kind varchar(8) NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'system')),
        actor_id uuid,
        actor_name varchar(200) NOT NULL,
        actor_role varchar(16),
        note text,
        data jsonb NOT NULL DEFAULT '{}',
        attachment_ids uuid[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_task_events_task_id ON task_events (task_id, id)`);
    await q.query(`CREATE INDEX ix_task_events_created_at ON task_events (created_at)`);
    // The audit trail (留痕) is append-only: the database itself refuses to change it.
    await q.query(`
      CREATE FUNCTION forbid_task_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'task_events is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_task_events_append_only BEFORE UPDATE OR DELETE ON task_events
      FOR EACH ROW EXECUTE FUNCTION forbid_task_event_change()`);
    await q.query(`
      CREATE TRIGGER tr_task_events_no_truncate BEFORE TRUNCATE ON task_events
      FOR EACH STATEMENT EXECUTE FUNCTION forbid_task_event_change()`);

    await q.query(`
      CREATE TABLE task_attachments (
        task_id uuid NOT NULL REFERENCES tasks (id),
        attachment_id uuid NOT NULL REFERENCES attachments (id),
        role varchar(8) NOT NULL CHECK (role IN ('before', 'after', 'check')),
        event_id bigint NOT NULL REFERENCES task_events (id),
        PRIMARY KEY (task_id, attachment_id, role)
      )`);
    await q.query(
      `CREATE INDEX ix_task_attachments_attachment_id ON task_attachments (attachment_id)`,
    );
    await q.query(`CREATE INDEX ix_task_attachments_event_id ON task_attachments (event_id)`);

    await q.query(`
      CREATE TABLE task_submissions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL REFERENCES tasks (id),
        round int NOT NULL,
        description text NOT NULL,
        event_id bigint NOT NULL REFERENCES task_events (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_task_submissions_round UNIQUE (task_id, round)
      )`);
    await q.query(`CREATE INDEX ix_task_submissions_event_id ON task_submissions (event_id)`);
    await q.query(`
      CREATE TABLE task_checks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL REFERENCES tasks (id),
        submission_id uuid NOT NULL REFERENCES task_submissions (id),
        result varchar(8) NOT NULL CHECK (result IN ('pass', 'fail')),
        note text,
        event_id bigint NOT NULL REFERENCES task_events (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_task_checks_submission UNIQUE (submission_id)
      )`);
    await q.query(`CREATE INDEX ix_task_checks_task_id ON task_checks (task_id, created_at)`);
    await q.query(`CREATE INDEX ix_task_checks_event_id ON task_checks (event_id)`);
    await q.query(`CREATE INDEX ix_task_checks_created_at ON task_checks (created_at)`);
    await q.query(`
      CREATE TABLE extension_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL REFERENCES tasks (id),
        requested_deadline timestamptz NOT NULL,
        reason text NOT NULL,
        status varchar(10) NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
        granted_deadline timestamptz,
        decision_note text,
        request_event_id bigint NOT NULL REFERENCES task_events (id),
        decision_event_id bigint REFERENCES task_events (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_extension_requests_pending ON extension_requests (task_id) WHERE status = 'pending'`,
    );
    await q.query(
      `CREATE INDEX ix_extension_requests_task_id ON extension_requests (task_id, created_at)`,
    );
    await q.query(
      `CREATE INDEX ix_extension_requests_status ON extension_requests (status, decided_at)`,
    );
    await q.query(
      `CREATE INDEX ix_extension_requests_request_event_id ON extension_requests (request_event_id)`,
    );
    await q.query(
      `CREATE INDEX ix_extension_requests_decision_event_id ON extension_requests (decision_event_id)`,
    );
    await q.query(`
      CREATE TABLE task_disputes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL REFERENCES tasks (id),
        unit_id uuid NOT NULL REFERENCES units (id),
        reason text NOT NULL,
        status varchar(10) NOT NULL CHECK (status IN ('pending', 'upheld', 'rejected')),
        decision_note text,
        request_event_id bigint NOT NULL REFERENCES task_events (id),
        decision_event_id bigint REFERENCES task_events (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_task_disputes_pending ON task_disputes (task_id) WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX ix_task_disputes_task_id ON task_disputes (task_id)`);
    await q.query(`CREATE INDEX ix_task_disputes_unit_id ON task_disputes (unit_id)`);
    await q.query(
      `CREATE INDEX ix_task_disputes_request_event_id ON task_disputes (request_event_id)`,
    );
    await q.query(
      `CREATE INDEX ix_task_disputes_decision_event_id ON task_disputes (decision_event_id)`,
    );

    await q.query(`
      CREATE TABLE idempotency_keys (
        scope varchar(80) NOT NULL,
        key varchar(100) NOT NULL,
        request_hash char(64) NOT NULL,
        status_code int,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);
    await q.query(`CREATE INDEX ix_idempotency_keys_created_at ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'idempotency_keys',
      'task_disputes',
      'extension_requests',
      'task_checks',
      'task_submissions',
      'task_attachments',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`DROP TABLE task_events`);
    await q.query(`DROP FUNCTION forbid_task_event_change()`);
    for (const table of [
      'attachments',
      'tasks',
      'task_number_counters',
      'inspection_sites',
      'inspection_units',
      'inspections',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`DROP FUNCTION assign_task_number()`);
  }
}
