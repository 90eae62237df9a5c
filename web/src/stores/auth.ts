import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, type Schemas } from '@/api/client';

export type Me = Schemas['MeDto'];

/**
 * The signed-in user. The access token lives only here, in memory; the refresh token is an
 * HttpOnly cookie the page never sees, so a reload restores the session through `/auth/refresh`.
 */
export const useAuthStore = defineStore('auth', () => {
  const token = ref<string | null>(null);
  const me = ref<Me | null>(null);
  const role = computed(() => me.value?.role ?? null);
  const isOffice = computed(() => role.value === 'admin');
  const isUnit = computed(() => role.value === 'unit');

  function accept(pair: Schemas['TokenPairDto']): void {
    token.value = pair.accessToken;
    me.value = pair.principal;
  }

  async function login(username: string, password: string) {
    const { data, error, response } = await api.POST('/api/v1/auth/login', {
      body: { username, password },
    });
    if (data) accept(data);
    return { ok: !!data, error, response };
  }

  /**
   * Uses the refresh cookie; false when there is no live session. The page's first restore takes
   * the answer to the request `public/session-boot.js` sent as the page started.
   */
  async function refresh(): Promise<boolean> {
    try {
      const early = window.ccEarlySession;
      window.ccEarlySession = undefined;
      const data = early
        ? await early
        : (await api.POST('/api/v1/auth/refresh', { body: {} as Schemas['RefreshDto'] })).data;
      if (!data) {
        clear();
        return false;
      }
      accept(data);
      return true;
    } catch {
      return false;
    }
  }

  function clear(): void {
    token.value = null;
    me.value = null;
  }

  async function logout(): Promise<void> {
    try {
      await api.POST('/api/v1/auth/logout', { body: {} as Schemas['RefreshDto'] });
    } finally {
      clear();
    }
  }

  return { token, me, role, isOffice, isUnit, login, refresh, logout, clear };
});
