import 'element-plus/dist/index.css';
import './styles.css';
import { ElNotification } from 'element-plus';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { registerSW } from 'virtual:pwa-register';
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

// The service worker keeps the console's files for the next visit. A new release waits for the
// clerk: a notice offers to reload now; otherwise it takes over when the console is next opened.
// Registered once the page has loaded, so its first download never competes with the page's own.
const updateConsole = registerSW({
  onNeedRefresh() {
    ElNotification({
      title: '控制台已更新',
      message: '新版本已就绪，点击此处刷新后使用（未保存的内容请先保存）。',
      type: 'info',
      duration: 0,
      onClick: () => void updateConsole(true),
    });
  },
});
