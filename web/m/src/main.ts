import './theme.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { registerSW } from 'virtual:pwa-register';
import { api } from '@/api/client';
import { authMiddleware } from '@/api/auth-middleware';
import { useAuthStore } from '@/stores/auth';
import App from './App.vue';
import { router } from './router';
import { syncStatus } from './sync';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
const auth = useAuthStore(pinia);
api.use(
  authMiddleware({
    token: () => auth.token,
    refresh: () => auth.refresh(),
    // The outbox keeps what it holds; the inspector signs in again when next on screen.
    expired: () => auth.clear(),
  }),
);
// A screen's code fails to load only offline before the service worker has cached the app.
router.onError(() => {
  syncStatus.screenMissing = true;
});
router.afterEach(() => {
  syncStatus.screenMissing = false;
});
app.use(router);
// After the first route's guard restored the session: the app's own requests then never race it
// for the refresh cookie (which rotates on every use).
void router.isReady().then(() => app.mount('#app'));

// The service worker precaches the app shell; a new release waits and takes over on the next
// start of the app (no prompt: a reload could cost an inspector a half-filled form).
registerSW({ immediate: true });
