import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config.js';
import { contentKey } from './attachment-storage.js';
import { LocalDiskStorage } from './local-disk.storage.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Every file under `dir`, relative, dot files included. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe('contentKey', () => {
  it('fans a SHA-256 out into two directory levels', () => {
    const sha = 'ab'.repeat(32);
    expect(contentKey(sha)).toBe(`ab/ab/${sha}`);
  });

  it.each([['ABCD'.repeat(16)], ['ab'.repeat(31)], ['../'.repeat(21) + 'a'], ['']])(
    'refuses %j',
    (sha) => {
      expect(() => contentKey(sha)).toThrow(/SHA-256/);
    },
  );
});

describe('LocalDiskStorage', () => {
  let root: string;
  let storage: LocalDiskStorage;
  const data = Buffer.from('photo bytes');
  const key = contentKey(createHash('sha256').update(data).digest('hex'));

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'cc-storage-'));
    storage = new LocalDiskStorage({ storage: { root, uploadMaxBytes: 1024 } } as AppConfig);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('stores a blob under its key, leaves no temporary file, and reads it back', async () => {
    expect(await storage.exists(key)).toBe(false);
    await storage.put(key, data);
    expect(await storage.exists(key)).toBe(true);
    expect(await filesUnder(root)).toEqual([key]);
    expect(await readFile(join(root, key))).toEqual(data);
    expect(await readAll(await storage.get(key))).toEqual(data);
  });

  it('skips the write when the key already holds a blob', async () => {
    await storage.put(key, data);
    // Content-addressed keys never change: a second put must not touch the stored file.
    await storage.put(key, Buffer.from('something else'));
    expect(await readFile(join(root, key))).toEqual(data);
    expect(await filesUnder(root)).toEqual([key]);
  });

  it('survives concurrent puts of the same blob', async () => {
    await Promise.all(Array.from({ length: 8 }, () => storage.put(key, data)));
    expect(await filesUnder(root)).toEqual([key]);
    expect(await readFile(join(root, key))).toEqual(data);
  });

  it('rejects get of a missing key and reports it as absent', async () => {
    expect(await storage.exists('aa/bb/cc')).toBe(false);
    await expect(storage.get('aa/bb/cc')).rejects.toThrow(/missing/);
  });

  it.each([['../escape'], ['/etc/passwd'], ['a/../../b'], ['a//b'], ['a/.hidden'], ['']])(
    'refuses the unsafe key %j',
    async (bad) => {
      await expect(storage.put(bad, data)).rejects.toThrow(/unsafe storage key/);
      await expect(storage.get(bad)).rejects.toThrow(/unsafe storage key/);
      await expect(storage.exists(bad)).rejects.toThrow(/unsafe storage key/);
    },
  );
});
