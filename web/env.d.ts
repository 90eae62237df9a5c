/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/client" />
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

interface Window {
  /** The session restore `public/session-boot.js` started as the page loaded (taken once). */
  ccEarlySession?: Promise<import('./src/api/client').Schemas['TokenPairDto'] | null>;
}
