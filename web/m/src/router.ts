import { getActivePinia } from 'pinia';
import { createRouter, createWebHistory } from 'vue-router';
import { restoreSession } from './session';

/** The phone app's screens, under /m/. Every screen but sign-in needs a user. */
export const router = createRouter({
  history: createWebHistory('/m/'),
  routes: [
    {
      path: '/login',
      name: 'login',
      component: () => import('./views/LoginView.vue'),
      meta: { public: true },
    },
    { path: '/', name: 'today', component: () => import('./views/TodayView.vue') },
    { path: '/new', name: 'new', component: () => import('./views/NewInspectionView.vue') },
    {
      path: '/inspections/:id',
      name: 'inspection',
      component: () => import('./views/InspectionView.vue'),
      props: true,
    },
    {
      path: '/inspections/:id/problems/new',
      name: 'problem',
      component: () => import('./views/ProblemView.vue'),
      props: true,
    },
    {
      path: '/inspections/:id/checklist',
      name: 'checklist-walk',
      component: () => import('./views/ChecklistWalkView.vue'),
      props: true,
    },
    { path: '/checks', name: 'checks', component: () => import('./views/ChecksView.vue') },
    {
      path: '/checks/:taskId',
      name: 'check',
      component: () => import('./views/CheckView.vue'),
      props: true,
    },
    { path: '/outbox', name: 'outbox', component: () => import('./views/OutboxView.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  const pinia = getActivePinia();
  const me = pinia ? await restoreSession(pinia) : null;
  if (!me) return { name: 'login', query: { redirect: to.fullPath } };
  return true;
});
