import * as remote from './api';
import type { Outcome } from './api';
import {
  db,
  type LocalInspection,
  type LocalPhoto,
  type LocalWalk,
  type PhoneDb,
  type SyncState,
} from './db';
import { inspectionBody } from './inspection-body';
import { resizeStored } from './photo';

/** The server calls the outbox makes; tests pass fakes. */
export interface Transport {
  createInspection: typeof remote.createInspection;
  uploadPhoto: typeof remote.uploadPhoto;
  createTask: typeof remote.createTask;
  addObservation: typeof remote.addObservation;
  createChecklistWalk: typeof remote.createChecklistWalk;
  checkTask: typeof remote.checkTask;
  checkRecorded: typeof remote.checkRecorded;
}

/** How a round of syncing ended. */
export type RoundEnd = 'done' | 'offline' | 'signed-out';

class Stop extends Error {
  constructor(readonly end: RoundEnd) {
    super(end);
  }
}

/**
 * Sends what the phone holds, strictly in order per inspection: the header, then for each
 * problem its photos and then the task, then each 按清单检查 (its photos, then the walk). Every
 * request carries the Idempotency-Key stored with its item, and every state change is written to
 * IndexedDB before and after the request, so a page closed mid-request sends the same request
 * again and the server answers it once.
 * A refusal (4xx) fails that item only; no network or a server error ends the round unchanged.
 */
export class Outbox {
  private running: Promise<RoundEnd> | null = null;

  constructor(
    private readonly store: PhoneDb = db,
    private readonly transport: Transport = remote,
    /** Makes sure a stored photo is resized before it is uploaded. */
    private readonly resize: (id: string) => Promise<void> = (id) => resizeStored(id, store),
  ) {}

  /** One round; concurrent callers share it. */
  sync(): Promise<RoundEnd> {
    this.running ??= this.round().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async round(): Promise<RoundEnd> {
    try {
      const inspections = await this.store.inspections.orderBy('createdAt').toArray();
      for (const inspection of inspections) await this.syncInspection(inspection);
      const checks = await this.store.checks.orderBy('createdAt').toArray();
      for (const check of checks) {
        if (check.state === 'synced' || check.state === 'failed') continue;
        const photoIds = await this.uploadPhotos(check.photoIds);
        if (!photoIds) {
          await this.store.checks.update(check.id, {
            state: 'failed',
            error: await this.photoError(check.photoIds),
          });
          continue;
        }
        await this.store.checks.update(check.id, { state: 'sending', sent: true });
        let r = await this.transport.checkTask(
          check.taskId,
          {
            version: check.version,
            result: check.result,
            note: check.note,
            photoIds: photoIds.length ? photoIds : undefined,
          },
          check.idempotencyKey,
        );
        // Task actions take no Idempotency-Key: a check sent before whose answer was lost (the
        // app closed, the network dropped) is answered 409 the second time. If the history shows
        // this inspector's check with this result, it did reach the server: it is synced.
        if (
          check.sent &&
          r.kind === 'refused' &&
          r.problem.status === 409 &&
          (await this.transport.checkRecorded(check).catch(() => false))
        ) {
          r = { kind: 'ok', data: null as never };
        }
        await this.settle(r, (state, error) =>
          this.store.checks.update(check.id, { state, error }),
        );
        if (r.kind === 'ok') await this.releasePhotos(check.id);
      }
      return 'done';
    } catch (e) {
      if (e instanceof Stop) return e.end;
      throw e;
    }
  }

  private async syncInspection(inspection: LocalInspection): Promise<void> {
    if (inspection.state === 'failed') return;
    let serverId = inspection.serverId;
    if (!serverId) {
      await this.store.inspections.update(inspection.id, { state: 'sending' });
      const r = await this.transport.createInspection(
        inspectionBody(inspection),
        inspection.idempotencyKey,
      );
      const data = await this.settle(r, (state, error) =>
        this.store.inspections.update(inspection.id, {
          state,
          error,
          ...(r.kind === 'ok' ? { serverId: r.data.id } : {}),
        }),
      );
      if (!data) return;
      serverId = data.id;
    }
    const problems = await this.store.problems
      .where('[inspectionId+seq]')
      .between([inspection.id, -Infinity], [inspection.id, Infinity])
      .toArray();
    for (const p of problems) {
      if (p.state === 'synced' || p.state === 'failed') continue;
      const photoIds = await this.uploadPhotos(p.photoIds);
      if (!photoIds) {
        await this.store.problems.update(p.id, {
          state: 'failed',
          error: await this.photoError(p.photoIds),
        });
        continue;
      }
      await this.store.problems.update(p.id, { state: 'sending' });
      if (p.attachToTaskId) {
        const r = await this.transport.addObservation(
          p.attachToTaskId,
          {
            note: p.description || undefined,
            photoIds,
            lat: p.lat,
            lng: p.lng,
            observedAt: p.foundAt,
          },
          p.idempotencyKey,
        );
        await this.settle(r, (state, error) => this.store.problems.update(p.id, { state, error }));
        if (r.kind === 'ok') await this.releasePhotos(p.id);
        continue;
      }
      const r = await this.transport.createTask(
        {
          inspectionId: serverId,
          categoryId: p.categoryId,
          siteId: p.siteId,
          lat: p.lat,
          lng: p.lng,
          description: p.description,
          beforePhotoIds: photoIds.length ? photoIds : undefined,
          foundAt: p.foundAt,
        },
        p.idempotencyKey,
      );
      await this.settle(r, (state, error) =>
        this.store.problems.update(p.id, {
          state,
          error,
          ...(r.kind === 'ok' ? { serverId: r.data.id, serverNumber: r.data.number } : {}),
        }),
      );
      if (r.kind === 'ok') await this.releasePhotos(p.id);
    }
    const walks = await this.store.walks.where('inspectionId').equals(inspection.id).toArray();
    walks.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    for (const w of walks) await this.syncWalk(serverId, w);
    const open = (x: { state: SyncState }) => x.state !== 'synced' && x.state !== 'failed';
    const left =
      (await this.store.problems.where('inspectionId').equals(inspection.id).filter(open).count()) +
      (await this.store.walks.where('inspectionId').equals(inspection.id).filter(open).count());
    if (left === 0 && inspection.state !== 'synced') {
      await this.store.inspections.update(inspection.id, { state: 'synced' });
    }
  }

  /**
   * 按清单检查: every 不合格 item's photos first (in item order), then the walk as one request with
   * its Idempotency-Key; the server raises the tasks. A refused photo fails the walk.
   */
  private async syncWalk(inspectionServerId: string, w: LocalWalk): Promise<void> {
    if (w.state === 'synced' || w.state === 'failed') return;
    const results = [];
    for (const r of w.results) {
      const photoIds = await this.uploadPhotos(r.photoIds);
      if (!photoIds) {
        await this.store.walks.update(w.id, {
          state: 'failed',
          error: await this.photoError(r.photoIds),
        });
        return;
      }
      results.push({
        itemId: r.itemId,
        result: r.result,
        note: r.note || undefined,
        attachmentIds: photoIds.length ? photoIds : undefined,
      });
    }
    await this.store.walks.update(w.id, { state: 'sending' });
    const r = await this.transport.createChecklistWalk(
      inspectionServerId,
      {
        siteId: w.siteId,
        results: results.map((x) =>
          w.lat !== undefined && x.result === 'fail' ? { ...x, lat: w.lat, lng: w.lng } : x,
        ),
        foundAt: w.foundAt,
      },
      w.idempotencyKey,
    );
    await this.settle(r, (state, error) =>
      this.store.walks.update(w.id, {
        state,
        error,
        ...(r.kind === 'ok'
          ? {
              serverId: r.data.id,
              taskNumbers: r.data.results.flatMap((x) => (x.taskNumber ? [x.taskNumber] : [])),
            }
          : {}),
      }),
    );
    if (r.kind === 'ok') await this.releasePhotos(w.id);
  }

  /** A phone's storage is small: once the server holds the item, its photos leave the phone. */
  private async releasePhotos(ownerId: string): Promise<void> {
    await this.store.photos.where('ownerId').equals(ownerId).delete();
  }

  /** Uploads the photos not yet on the server; their server ids in order, or null if one was refused. */
  private async uploadPhotos(ids: string[]): Promise<string[] | null> {
    const out: string[] = [];
    for (const id of ids) {
      let photo = await this.store.photos.get(id);
      if (photo?.resized === false) {
        try {
          await this.resize(id);
        } catch {
          await this.store.photos.update(id, { state: 'failed', error: UNREADABLE });
          return null;
        }
        photo = await this.store.photos.get(id);
      }
      if (!photo) continue;
      if (photo.state === 'failed') return null;
      if (photo.serverId) {
        out.push(photo.serverId);
        continue;
      }
      await this.store.photos.update(id, { state: 'sending' });
      const r = await this.transport.uploadPhoto(uploadOf(photo), photo.idempotencyKey);
      const data = await this.settle(r, (state, error) =>
        this.store.photos.update(id, {
          state,
          error,
          ...(r.kind === 'ok' ? { serverId: r.data.id } : {}),
        }),
      );
      if (!data) return null;
      out.push(data.id);
    }
    return out;
  }

  private async photoError(ids: string[]) {
    const photos = await this.store.photos.bulkGet(ids);
    const bad = photos.find((p) => p?.state === 'failed');
    return bad?.error
      ? { ...bad.error, fields: { ...bad.error.fields, photos: bad.error.detail } }
      : undefined;
  }

  /**
   * Writes what a request came to and returns its data when it passed. A refusal is written
   * as `failed` with the server's problem; no network, a server error or an ended session put
   * the item back to `pending` and stop the round.
   */
  private async settle<T>(
    r: Outcome<T>,
    write: (
      state: SyncState,
      error: import('@/api/client').ShownProblem | undefined,
    ) => Promise<unknown>,
  ): Promise<T | null> {
    switch (r.kind) {
      case 'ok':
        await write('synced', undefined);
        return r.data;
      case 'refused':
        await write('failed', r.problem);
        return null;
      case 'signed-out':
        await write('pending', undefined);
        throw new Stop('signed-out');
      case 'later':
        await write('pending', undefined);
        throw new Stop('offline');
    }
  }
}

const UNREADABLE = {
  status: 0,
  code: 'PHOTO_UNREADABLE',
  detail: '照片无法读取，请删除后重拍',
  fields: { photos: '照片无法读取' },
};

function uploadOf(p: LocalPhoto): remote.PhotoUpload {
  return {
    blob: p.blob,
    name: `${p.id}.jpg`,
    capturedAt: p.capturedAt,
    lat: p.lat,
    lng: p.lng,
    accuracyM: p.accuracyM,
  };
}

/** How many items still wait to be sent, and how many were refused. */
export async function outboxCounts(
  store: PhoneDb = db,
): Promise<{ waiting: number; failed: number }> {
  const waiting =
    (await store.problems.where('state').anyOf('pending', 'sending').count()) +
    (await store.checks.where('state').anyOf('pending', 'sending').count()) +
    (await store.walks.where('state').anyOf('pending', 'sending').count()) +
    (await store.inspections.where('state').anyOf('pending', 'sending').count());
  const failed =
    (await store.problems.where('state').equals('failed').count()) +
    (await store.checks.where('state').equals('failed').count()) +
    (await store.walks.where('state').equals('failed').count()) +
    (await store.inspections.where('state').equals('failed').count());
  return { waiting, failed };
}

export const outbox = new Outbox();
