import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, type Schemas } from '@/api/client';

export type Notice = Schemas['NotificationDto'];

/** The bell's unread notifications, polled while the console is open. */
export const useInboxStore = defineStore('inbox', () => {
  const unread = ref<Notice[]>([]);
  async function load(): Promise<void> {
    const { data } = await api.GET('/api/v1/notifications', {
      params: { query: { unread: true, limit: 20 } },
    });
    if (data) unread.value = data.items;
  }
  async function markRead(id: string): Promise<void> {
    await api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } });
    unread.value = unread.value.filter((n) => n.id !== id);
  }
  async function markAll(): Promise<void> {
    await api.POST('/api/v1/notifications/read-all');
    unread.value = [];
  }
  return { unread, load, markRead, markAll };
});
