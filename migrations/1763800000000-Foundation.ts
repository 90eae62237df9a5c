import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Units, users and their credentials, and the catalog (categories, sites). */
export class Foundation1763800000000 implements MigrationInterface {
  name = 'Foundation1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE units (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(32) NOT NULL,
        name varchar(100) NOT NULL,
        kind varchar(16) NOT NULL CHECK (kind IN ('street', 'town', 'bureau', 'office')),
        sort_order int NOT NULL DEFAULT 100,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_units_code UNIQUE (code),
        CONSTRAINT uq_units_name UNIQUE (name)
      )`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(64) NOT NULL CHECK (username = lower(username)),
        display_name varchar(100) NOT NULL,
        role varchar(16) NOT NULL CHECK (role IN ('admin', 'inspector', 'unit')),
        unit_id uuid REFERENCES units (id),
        phone varchar(32),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_users_username UNIQUE (username),
        CONSTRAINT ck_users_unit_role CHECK ((role = 'unit') = (unit_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ix_users_unit_id ON users (unit_id)`);
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        unit_id uuid NOT NULL REFERENCES units (id),
        name varchar(100) NOT NULL,
        prefix varchar(16) NOT NULL,
        key_hash char(64) NOT NULL,
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        expires_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT uq_api_keys_prefix UNIQUE (prefix)
      )`);
    await q.query(`CREATE INDEX ix_api_keys_unit_id ON api_keys (unit_id)`);
    await q.query(`CREATE INDEX ix_api_keys_created_by ON api_keys (created_by)`);
    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        family_id uuid NOT NULL,
        token_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        CONSTRAINT uq_refresh_tokens_hash UNIQUE (token_hash)
      )`);
    await q.query(`CREATE INDEX ix_refresh_tokens_user_id ON refresh_tokens (user_id)`);
    await q.query(`CREATE INDEX ix_refresh_tokens_family_id ON refresh_tokens (family_id)`);
    await q.query(`CREATE INDEX ix_refresh_tokens_expires_at ON refresh_tokens (expires_at)`);
    await q.query(`
      CREATE TABLE categories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(16) NOT NULL,
        name varchar(50) NOT NULL,
        bulletin_name varchar(50),
        group_name varchar(50) NOT NULL,
        measure_word varchar(4) NOT NULL,
        deadline_rule jsonb NOT NULL,
        verification_policy varchar(16) NOT NULL DEFAULT 'on_site'
          CHECK (verification_policy IN ('on_site', 'spot_check', 'self_close')),
        spot_check_ratio real CHECK (spot_check_ratio BETWEEN 0 AND 1),
        requires_after_photo boolean NOT NULL DEFAULT true,
        szcg_item varchar(50),
        sort_order int NOT NULL DEFAULT 100,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_categories_code UNIQUE (code),
        CONSTRAINT uq_categories_name UNIQUE (name)
      )`);
    await q.query(`CREATE INDEX ix_categories_group_name ON categories (group_name)`);
    await q.query(`
      CREATE TABLE sites (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        kind varchar(20) NOT NULL,
        address varchar(200),
        lat double precision CHECK (lat BETWEEN -90 AND 90),
        lng double precision CHECK (lng BETWEEN -180 AND 180),
        default_unit_id uuid REFERENCES units (id),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_sites_name UNIQUE (name)
      )`);
    await q.query(`CREATE INDEX ix_sites_default_unit_id ON sites (default_unit_id)`);
    await q.query(`CREATE INDEX ix_sites_kind ON sites (kind)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['sites', 'categories', 'refresh_tokens', 'api_keys', 'users', 'units']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
