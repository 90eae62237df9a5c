import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence that can be trusted (issue 13). A photo keeps what it carries (EXIF capture time and
 * GPS position, read on upload) apart from what the client declared (the phone app's clock and
 * geolocation): never one merged value whose source is lost. All nullable: a photo may carry
 * nothing, and the photos uploaded before this migration carry nothing known.
 *
 * A unit's 整改反馈 keeps the doubts found in its after-photos (`evidence_flags`, a JSON list of
 * `{attachmentId, reason, detail}`): they inform the office and never block the submission.
 */
export class PhotoEvidence1764280000000 implements MigrationInterface {
  name = 'PhotoEvidence1764280000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE attachments
        ADD COLUMN exif_captured_at timestamptz,
        ADD COLUMN exif_lat double precision,
        ADD COLUMN exif_lng double precision,
        ADD COLUMN declared_captured_at timestamptz,
        ADD COLUMN declared_lat double precision,
        ADD COLUMN declared_lng double precision,
        ADD COLUMN declared_accuracy_m double precision,
        ADD CONSTRAINT ck_attachments_exif_position CHECK (
          (exif_lat IS NULL) = (exif_lng IS NULL)
          AND (exif_lat IS NULL OR (exif_lat BETWEEN -90 AND 90 AND exif_lng BETWEEN -180 AND 180))),
        ADD CONSTRAINT ck_attachments_declared_position CHECK (
          (declared_lat IS NULL) = (declared_lng IS NULL)
          AND (declared_lat IS NULL
               OR (declared_lat BETWEEN -90 AND 90 AND declared_lng BETWEEN -180 AND 180))),
        ADD CONSTRAINT ck_attachments_declared_accuracy CHECK (
          declared_accuracy_m IS NULL OR (declared_accuracy_m >= 0 AND declared_lat IS NOT NULL))`);
    await q.query(`
      ALTER TABLE task_submissions
        ADD COLUMN evidence_flags jsonb NOT NULL DEFAULT '[]'::jsonb,
        ADD CONSTRAINT ck_task_submissions_evidence_flags CHECK (jsonb_typeof(evidence_flags) = 'array')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE task_submissions
        DROP CONSTRAINT ck_task_submissions_evidence_flags,
        DROP COLUMN evidence_flags`);
    await q.query(`
      ALTER TABLE attachments
        DROP CONSTRAINT ck_attachments_declared_accuracy,
        DROP CONSTRAINT ck_attachments_declared_position,
        DROP CONSTRAINT ck_attachments_exif_position,
        DROP COLUMN declared_accuracy_m,
        DROP COLUMN declared_lng,
        DROP COLUMN declared_lat,
        DROP COLUMN declared_captured_at,
        DROP COLUMN exif_lng,
        DROP COLUMN exif_lat,
        DROP COLUMN exif_captured_at`);
  }
}
