import { reactive } from 'vue';
import { outbox, outboxCounts, type RoundEnd } from './outbox';
import { resizeWaiting } from './photo';

/** What the 待同步 badge and banner show. */
export const syncStatus = reactive({
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  syncing: false,
  waiting: 0,
  failed: 0,
  lastEnd: null as RoundEnd | null,
  lastAt: null as string | null,
  /** A screen that could not open (its code not on the phone yet, and no network). */
  screenMissing: false,
});

const RETRY_MS = 20_000;
let timer: ReturnType<typeof setInterval> | null = null;

export async function refreshCounts(): Promise<void> {
  Object.assign(syncStatus, await outboxCounts());
}

/** One round now (if online); the counts after it. */
export async function syncNow(): Promise<void> {
  await refreshCounts();
  if (!navigator.onLine) return;
  syncStatus.syncing = true;
  try {
    syncStatus.lastEnd = await outbox.sync();
    syncStatus.lastAt = new Date().toISOString();
  } catch (e) {
    console.error(e);
  } finally {
    syncStatus.syncing = false;
    await refreshCounts();
  }
}

/** Syncs on start, whenever the network comes back, and on a timer while something waits. */
export function startSync(): void {
  if (timer) return;
  window.addEventListener('online', () => {
    syncStatus.online = true;
    void syncNow();
  });
  window.addEventListener('offline', () => {
    syncStatus.online = false;
  });
  // The page may have loaded offline and the network come back before these listeners existed.
  syncStatus.online = navigator.onLine;
  timer = setInterval(() => {
    syncStatus.online = navigator.onLine;
    if (syncStatus.waiting > 0) void syncNow();
  }, RETRY_MS);
  // Originals left unresized by a page closed right after a save.
  void resizeWaiting().then(syncNow);
}
