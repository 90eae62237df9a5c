import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql, type SqlBool } from 'kysely';
import type { EntityManager, Repository } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { invalidField } from '../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { hashRequest, onceForKey } from '../database/idempotency.js';
import { dbOf, type Db } from '../database/kysely.js';
import { prepared } from '../database/prepared.js';
import { TransactionRunner } from '../database/transaction.js';
import { attachmentNotFound, notAnImage, uploadTooLarge } from './attachment-errors.js';
import { Attachment } from './attachment.entity.js';
import type { AttachmentDto } from './dto/attachment.dto.js';
import type { DeclaredCapture } from './evidence/declared-capture.js';
import { readCaptureFacts } from './evidence/photo-capture.js';
import { assertDecodableImage } from './image-decoder.js';
import { sniffImageType } from './image-sniffer.js';
import type { UploadedFile } from './multipart-upload.js';
import {
  ATTACHMENT_STORAGE,
  contentKey,
  type AttachmentStorage,
} from './storage/attachment-storage.js';

const NO_DECLARED_CAPTURE: DeclaredCapture = {
  capturedAt: null,
  lat: null,
  lng: null,
  accuracyM: null,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_NAME_CHARS = 255;

/** Office staff and inspectors see and may cite every photo; a unit only its own or its tasks'. */
const seesEverything = (p: Principal): boolean => p.role === 'admin' || p.role === 'inspector';

const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);

export const toAttachmentDto = (a: Attachment): AttachmentDto => ({
  id: a.id,
  sha256: a.sha256,
  mime: a.mime,
  sizeBytes: a.sizeBytes,
  originalName: a.originalName,
  createdAt: a.createdAt,
  capture: {
    exif: { capturedAt: isoOrNull(a.exifCapturedAt), lat: a.exifLat, lng: a.exifLng },
    declared: {
      capturedAt: isoOrNull(a.declaredCapturedAt),
      lat: a.declaredLat,
      lng: a.declaredLng,
      accuracyM: a.declaredAccuracyM,
    },
  },
});

/** The client's file name, for display: no control characters, at most 255 characters, or null. */
export function cleanFileName(name: string | undefined): string | null {
  if (!name) return null;
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const cleaned = name.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  // By code points, as varchar(255) counts them, so no surrogate pair is cut in half.
  return cleaned ? Array.from(cleaned).slice(0, MAX_NAME_CHARS).join('') : null;
}

/** 证据照片: upload, visibility, and the check other features make before citing photos. */
@Injectable()
export class AttachmentsService {
  constructor(
    @InjectRepository(Attachment) private readonly attachments: Repository<Attachment>,
    @Inject(ATTACHMENT_STORAGE) private readonly storage: AttachmentStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
  ) {}

  /**
   * Keeps a photo: the type comes from its bytes and the whole image must decode (415
   * otherwise; 422 for absurd dimensions), the bytes go to storage under
   * their SHA-256 before the row is written, so a row never points at a missing blob; a failed
   * insert leaves at most an unreferenced blob, which the next upload of the same photo reuses.
   * With an `Idempotency-Key` (a phone retrying after a lost answer), the same key and the same
   * photo and declared data answer the first upload again instead of a second row.
   */
  async upload(
    principal: Principal,
    file: UploadedFile,
    declared: DeclaredCapture = NO_DECLARED_CAPTURE,
    idempotencyKey?: string,
  ): Promise<AttachmentDto> {
    const maxBytes = this.config.storage.uploadMaxBytes;
    if (file.data.length > maxBytes) throw uploadTooLarge(maxBytes);
    const mime = sniffImageType(file.data);
    if (!mime) throw notAnImage();
    await assertDecodableImage(file.data, mime);
    const exif = await readCaptureFacts(file.data);
    const sha256 = createHash('sha256').update(file.data).digest('hex');
    const storageKey = contentKey(sha256);
    await this.storage.put(storageKey, file.data);
    const originalName = cleanFileName(file.filename);
    const { result } = await this.tx.withTransaction((em) =>
      onceForKey(
        em,
        `attachments:${principal.kind}:${principal.id}`,
        idempotencyKey,
        hashRequest({ sha256, originalName, declared }),
        async () => {
          const repo = em.getRepository(Attachment);
          const row = await repo.save(
            repo.create({
              sha256,
              mime,
              sizeBytes: file.data.length,
              storageKey,
              originalName,
              uploadedByKind: principal.kind,
              uploadedById: principal.id,
              unitId: principal.unitId,
              exifCapturedAt: exif.capturedAt,
              exifLat: exif.lat,
              exifLng: exif.lng,
              declaredCapturedAt: declared.capturedAt,
              declaredLat: declared.lat,
              declaredLng: declared.lng,
              declaredAccuracyM: declared.accuracyM,
            }),
          );
          return toAttachmentDto(row);
        },
      ),
    );
    return result;
  }

  /**
   * For features that cite photos (a task's 整改前/整改后/复查 photos): each id must name an
   * attachment the caller uploaded — admins and inspectors may cite any — else a 400 naming
   * `field`. Runs inside the caller's transaction. Returns the rows in the order given.
   */
  async assertUsable(
    em: EntityManager,
    ids: string[],
    principal: Principal,
    field: string,
  ): Promise<Attachment[]> {
    if (ids.length === 0) return [];
    const malformed = ids.find((id) => typeof id !== 'string' || !UUID.test(id));
    if (malformed !== undefined)
      throw invalidField(field, `附件 id 格式有误: ${malformed}`, 'isUuid');
    const wanted = ids.map((id) => id.toLowerCase());
    if (new Set(wanted).size !== wanted.length) {
      throw invalidField(field, '附件 id 不能重复', 'arrayUnique');
    }
    // Prepared statements (src/database/prepared.ts): every submission and create with photos.
    const db = dbOf(em);
    const rows = seesEverything(principal)
      ? await citableByAnyone(db, { ids: wanted })
      : await citableByUploader(db, { ids: wanted, kind: principal.kind, by: principal.id });
    const byId = new Map(rows.map((a) => [a.id, Object.assign(new Attachment(), a)]));
    const unusable = wanted.find((id) => !byId.has(id));
    if (unusable !== undefined) {
      throw invalidField(field, `附件 ${unusable} 不存在或不是本人上传的`, 'attachmentUsable');
    }
    return wanted.map((id) => byId.get(id) as Attachment);
  }

  /**
   * The attachment if `principal` may see it: admins and inspectors every one; a unit those
   * its own people uploaded and those on its tasks. Otherwise 404, never 403, so another unit
   * cannot learn that the id exists.
   */
  async findVisible(id: string, principal: Principal): Promise<Attachment> {
    const qb = this.attachments.createQueryBuilder('a').where('a.id = :id', { id });
    if (!seesEverything(principal)) {
      if (!principal.unitId) throw attachmentNotFound();
      // task_attachments and tasks belong to the tasks feature: reached by table, not entity.
      qb.andWhere(
        `(a.unitId = :unitId OR EXISTS (
          SELECT 1 FROM task_attachments ta JOIN tasks t ON t.id = ta.task_id
          WHERE ta.attachment_id = a.id AND t.unit_id = :unitId))`,
        { unitId: principal.unitId },
      );
    }
    const row = await qb.getOne();
    if (!row) throw attachmentNotFound();
    return row;
  }

  async getMeta(id: string, principal: Principal): Promise<AttachmentDto> {
    return toAttachmentDto(await this.findVisible(id, principal));
  }

  /** The bytes of an attachment already checked with `findVisible`. */
  async content(attachment: Attachment): Promise<Readable> {
    const stream = await this.storage.get(attachment.storageKey);
    return stream instanceof Readable ? stream : new Readable().wrap(stream);
  }
}

/** Attachments as the entity names their columns, among `ids`. */
const attachmentsAmong = (db: Db, ids: string[]) =>
  db
    .selectFrom('attachments as a')
    .select([
      'a.id',
      'a.sha256',
      'a.mime',
      'a.size_bytes as sizeBytes',
      'a.storage_key as storageKey',
      'a.original_name as originalName',
      'a.uploaded_by_kind as uploadedByKind',
      'a.uploaded_by_id as uploadedById',
      'a.unit_id as unitId',
      'a.created_at as createdAt',
      'a.exif_captured_at as exifCapturedAt',
      'a.exif_lat as exifLat',
      'a.exif_lng as exifLng',
      'a.declared_captured_at as declaredCapturedAt',
      'a.declared_lat as declaredLat',
      'a.declared_lng as declaredLng',
      'a.declared_accuracy_m as declaredAccuracyM',
    ])
    .where(sql<SqlBool>`a.id = ANY(${ids}::uuid[])`);

const citableByAnyone = prepared((db, p: { ids: string[] }) => attachmentsAmong(db, p.ids));

const citableByUploader = prepared((db, p: { ids: string[]; kind: string; by: string }) =>
  attachmentsAmong(db, p.ids)
    .where('a.uploaded_by_kind', '=', p.kind)
    .where('a.uploaded_by_id', '=', p.by),
);
