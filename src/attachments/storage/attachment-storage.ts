/**
 * Where photo bytes live. Keys are content addresses (`contentKey`), so a blob once written
 * never changes: writing a key again is a no-op and any replica may serve it. The local disk
 * implementation is the default; an S3-compatible one can follow behind the same interface.
 */
export interface AttachmentStorage {
  /** Stores `data` under `key`, atomically: readers see the whole blob or none. Idempotent. */
  put(key: string, data: Buffer): Promise<void>;
  /** The blob's bytes. Rejects when `key` holds nothing. */
  get(key: string): Promise<NodeJS.ReadableStream>;
  exists(key: string): Promise<boolean>;
}

/** Injection token of the AttachmentStorage in use. */
export const ATTACHMENT_STORAGE = Symbol('ATTACHMENT_STORAGE');

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The storage key of a blob by its SHA-256: `ab/cd/abcd…`, fanned out so no directory grows huge. */
export function contentKey(sha256: string): string {
  if (!SHA256_HEX.test(sha256)) throw new Error(`not a lowercase hex SHA-256: ${sha256}`);
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}
