import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { officeMinute } from '../../common/time/office-zone.js';
import { dbOf } from '../../database/kysely.js';
import type { Attachment } from '../attachment.entity.js';
import { ATTACHMENT_STORAGE, type AttachmentStorage } from '../storage/attachment-storage.js';
import { renderThumbnail, renderWatermarked } from './photo-variants.js';

/** Bumped when a rendering changes, so that cached copies and ETags of the old one are not served. */
const RENDERING_VERSION = 1;

/** A derived copy, described before it is made: its ETag decides a 304 without any rendering. */
export interface DerivedPhoto {
  etag: string;
  /** How long a browser may reuse it without asking (`Cache-Control: private, max-age`). */
  maxAgeSeconds: number;
  /** The copy's bytes: from storage when made before, else rendered now and stored. */
  load(): Promise<Buffer>;
}

const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

/** Derived copies live apart from the originals, under a hash of everything they are made from. */
const derivedKey = (hash: string): string =>
  `derived/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`;

const formatPosition = (lat: number, lng: number): string => `${lat.toFixed(5)}, ${lng.toFixed(5)}`;

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * Thumbnails and 水印 copies, made lazily on first request and kept in storage under a key
 * derived from their inputs (the original's SHA-256, and for the 水印 its text): a copy is made
 * once, by whichever process is asked first, and a changed text (the photo linked to a task,
 * which names the place) is a new copy rather than a stale one. Originals are never rewritten.
 */
@Injectable()
export class PhotoVariantsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(ATTACHMENT_STORAGE) private readonly storage: AttachmentStorage,
  ) {}

  thumbnail(a: Attachment): DerivedPhoto {
    const hash = sha256(`thumb:${RENDERING_VERSION}:${a.sha256}`);
    return this.derived(a, hash, `"thumb-${hash.slice(0, 32)}"`, 86_400, renderThumbnail);
  }

  async watermarked(a: Attachment): Promise<DerivedPhoto> {
    const text = await this.watermarkText(a);
    const hash = sha256(JSON.stringify(['watermarked', RENDERING_VERSION, a.sha256, text]));
    return this.derived(a, hash, `"wm-${hash.slice(0, 32)}"`, 3_600, (data) =>
      renderWatermarked(data, text),
    );
  }

  /**
   * The 水印's text: when · where · who. When: the capture time the photo carries (EXIF), else
   * the one its client declared, else when we received it. Where: the task it is a photo of (its
   * 点位, else its address), else the position the photo carries or was declared with. Who: the
   * uploader — a person's name, or for a unit's system its unit's name.
   */
  async watermarkText(a: Attachment): Promise<string> {
    const db = dbOf(this.ds.manager);
    const [task, uploader] = await Promise.all([
      db
        .selectFrom('task_attachments as ta')
        .innerJoin('tasks as t', 't.id', 'ta.task_id')
        .leftJoin('sites as s', 's.id', 't.site_id')
        .select(['s.name as site_name', 't.address'])
        .where('ta.attachment_id', '=', a.id)
        .orderBy('ta.event_id')
        .limit(1)
        .executeTakeFirst(),
      a.uploadedByKind === 'user'
        ? db
            .selectFrom('users')
            .select('display_name as name')
            .where('id', '=', a.uploadedById)
            .executeTakeFirst()
        : db
            .selectFrom('api_keys as k')
            .innerJoin('units as u', 'u.id', 'k.unit_id')
            .select('u.name as name')
            .where('k.id', '=', a.uploadedById)
            .executeTakeFirst(),
    ]);
    const when = officeMinute(a.exifCapturedAt ?? a.declaredCapturedAt ?? a.createdAt);
    const where =
      task?.site_name ??
      task?.address ??
      (a.exifLat !== null && a.exifLng !== null
        ? formatPosition(a.exifLat, a.exifLng)
        : a.declaredLat !== null && a.declaredLng !== null
          ? formatPosition(a.declaredLat, a.declaredLng)
          : null);
    return [when, where, uploader?.name ?? null].filter((p) => p).join(' · ');
  }

  private derived(
    a: Attachment,
    hash: string,
    etag: string,
    maxAgeSeconds: number,
    render: (original: Buffer) => Promise<Buffer>,
  ): DerivedPhoto {
    const key = derivedKey(hash);
    return {
      etag,
      maxAgeSeconds,
      load: async () => {
        if (await this.storage.exists(key)) return readAll(await this.storage.get(key));
        const copy = await render(await readAll(await this.storage.get(a.storageKey)));
        // Two requests racing both render; the storage keeps one (puts of a key are idempotent).
        await this.storage.put(key, copy);
        return copy;
      },
    };
  }
}
