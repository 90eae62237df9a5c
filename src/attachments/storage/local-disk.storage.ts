import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { AttachmentStorage } from './attachment-storage.js';

/** Path segments of letters, digits, `_` and `-` only: no `..`, no absolute paths, no dot files. */
const SAFE_KEY = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/;

const isMissing = (e: unknown): boolean =>
  ['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException | undefined)?.code ?? '');

/**
 * Blobs as files under `STORAGE_ROOT`, one per key. A blob is written to a temporary file in
 * its final directory, flushed, then renamed into place: rename is atomic on one file system,
 * so a crash leaves at worst a stray `.tmp` file, never a half-written blob under a real key.
 */
@Injectable()
export class LocalDiskStorage implements AttachmentStorage {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = resolve(config.storage.root);
  }

  async put(key: string, data: Buffer): Promise<void> {
    const path = this.pathOf(key);
    // Content-addressed: an existing blob already holds these very bytes.
    if (await this.exists(key)) return;
    const dir = dirname(path);
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
    let handle: FileHandle | undefined;
    try {
      handle = await open(tmp, 'wx');
      await handle.writeFile(data);
      await handle.sync();
      await handle.close();
      handle = undefined;
      // Two uploads of the same bytes may race here; either rename wins with identical content.
      await rename(tmp, path);
    } catch (e) {
      await handle?.close().catch(() => undefined);
      await rm(tmp, { force: true });
      throw e;
    }
    await syncDirectory(dir);
  }

  async get(key: string): Promise<NodeJS.ReadableStream> {
    // Opening first makes a missing blob reject here rather than fail the response mid-stream.
    let handle: FileHandle;
    try {
      handle = await open(this.pathOf(key), 'r');
    } catch (e) {
      if (isMissing(e)) throw new Error(`attachment blob ${key} is missing`, { cause: e });
      throw e;
    }
    return handle.createReadStream();
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (e) {
      if (isMissing(e)) return false;
      throw e;
    }
  }

  private pathOf(key: string): string {
    if (!SAFE_KEY.test(key)) throw new Error(`unsafe storage key: ${JSON.stringify(key)}`);
    return join(this.root, ...key.split('/'));
  }
}

/** Makes the rename itself durable. Best effort: not every platform can fsync a directory. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // the blob is complete either way; only durability across a power cut is at stake
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
