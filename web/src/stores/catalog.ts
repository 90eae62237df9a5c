import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, type Schemas } from '@/api/client';

/** Units and categories for filters and forms, loaded once per sign-in. */
export const useCatalogStore = defineStore('catalog', () => {
  const units = ref<Schemas['UnitDto'][]>([]);
  const categories = ref<Schemas['CategoryDto'][]>([]);
  let loaded: Promise<void> | null = null;
  function load(force = false): Promise<void> {
    if (loaded && !force) return loaded;
    loaded = (async () => {
      const [u, c] = await Promise.all([
        api.GET('/api/v1/units', { params: { query: { limit: 200 } } }),
        api.GET('/api/v1/categories', { params: { query: { limit: 200 } } }),
      ]);
      units.value = u.data?.items ?? [];
      categories.value = c.data?.items ?? [];
    })();
    return loaded;
  }
  return { units, categories, load };
});
