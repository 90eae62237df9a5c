import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Speed (issue 15): each API process keeps who a token or API key is for under a second
 * (`src/auth/principal-cache.ts`) instead of reading the user (and unit) on every request. A
 * change that can refuse or reshape a caller — a user's activity, role, unit or name, a unit's
 * activity or name, a key's revocation or expiry, a deletion — announces itself on the
 * `auth_changed` channel when its transaction commits, whoever wrote it (the API, a script,
 * psql), and every process drops its cached callers at once; the cache's short lifetime bounds
 * it if a process missed the message.
 * Likewise the categories, which creates and transitions read their rules from
 * (`categories_changed`, the cache in `src/catalog/categories.service.ts`).
 */
export class CacheChangeNotify1764450000000 implements MigrationInterface {
  name = 'CacheChangeNotify1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION notify_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM pg_notify('auth_changed', TG_TABLE_NAME || ':' || OLD.id::text);
        ELSE
          PERFORM pg_notify('auth_changed', TG_TABLE_NAME || ':' || NEW.id::text);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_users_auth_changed
        AFTER UPDATE OF active, role, unit_id, display_name OR DELETE ON users
        FOR EACH ROW EXECUTE FUNCTION notify_auth_changed()`);
    await q.query(`
      CREATE TRIGGER tr_units_auth_changed AFTER UPDATE OF active, name OR DELETE ON units
        FOR EACH ROW EXECUTE FUNCTION notify_auth_changed()`);
    await q.query(`
      CREATE TRIGGER tr_api_keys_auth_changed
        AFTER UPDATE OF revoked_at, expires_at, unit_id, name, key_hash OR DELETE ON api_keys
        FOR EACH ROW EXECUTE FUNCTION notify_auth_changed()`);
    await q.query(`
      CREATE FUNCTION notify_categories_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('categories_changed', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_categories_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON categories
        FOR EACH STATEMENT EXECUTE FUNCTION notify_categories_changed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER tr_categories_changed ON categories');
    await q.query('DROP FUNCTION notify_categories_changed()');
    await q.query('DROP TRIGGER tr_api_keys_auth_changed ON api_keys');
    await q.query('DROP TRIGGER tr_units_auth_changed ON units');
    await q.query('DROP TRIGGER tr_users_auth_changed ON users');
    await q.query('DROP FUNCTION notify_auth_changed()');
  }
}
