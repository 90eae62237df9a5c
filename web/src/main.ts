import 'element-plus/dist/index.css';
import './styles.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { api } from '@/api/client';
import { authMiddleware } from '@/api/auth-middleware';
import { useAuthStore } from '@/stores/auth';
import App from './App.vue';
import { router } from './router';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
const auth = useAuthStore(pinia);
api.use(
  authMiddleware({
    token: () => auth.token,
    refresh: () => auth.refresh(),
    expired: () => {
      // A full load: nothing of this session stays in memory.
      const back = location.pathname + location.search;
      location.assign(`/login?redirect=${encodeURIComponent(back)}`);
    },
  }),
);
app.use(router);
app.mount('#app');
