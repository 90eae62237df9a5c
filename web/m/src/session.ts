import { ref } from 'vue';
import type { Pinia } from 'pinia';
import { useAuthStore, type Me } from '@/stores/auth';
import { getValue, setValue } from './db';

/**
 * The sign-in on the phone. The access token lives in memory and the refresh token in the
 * HttpOnly cookie, as in the console; the last principal is also kept on the phone so that an
 * inspector who opens the app with no network can keep recording (sync waits for a sign-in).
 */
export const offlineUser = ref<Me | null>(null);
const ME_KEY = 'me';

export async function restoreSession(pinia: Pinia): Promise<Me | null> {
  const auth = useAuthStore(pinia);
  if (auth.me) return auth.me;
  if (navigator.onLine && (await auth.refresh())) {
    await setValue(ME_KEY, JSON.parse(JSON.stringify(auth.me)));
    offlineUser.value = null;
    return auth.me;
  }
  if (!navigator.onLine) {
    offlineUser.value = (await getValue<Me>(ME_KEY)) ?? null;
    return offlineUser.value;
  }
  return null;
}

export async function rememberUser(me: Me): Promise<void> {
  await setValue(ME_KEY, JSON.parse(JSON.stringify(me)));
}

export async function forgetUser(): Promise<void> {
  await setValue(ME_KEY, null);
}

/** Whoever is signed in, online or from the phone's memory. */
export function currentUser(pinia: Pinia): Me | null {
  return useAuthStore(pinia).me ?? offlineUser.value;
}
