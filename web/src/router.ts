import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { useAuthStore } from '@/stores/auth';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    roles?: ('admin' | 'inspector' | 'unit')[];
    title?: string;
  }
}

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    component: () => import('@/views/LoginView.vue'),
    meta: { public: true, title: '登录' },
  },
  {
    path: '/',
    component: () => import('@/layouts/ConsoleLayout.vue'),
    children: [
      { path: '', name: 'home', component: { render: () => null } },
      {
        path: 'tasks',
        component: () => import('@/views/TaskListView.vue'),
        meta: { title: '任务' },
      },
      {
        path: 'tasks/:id',
        component: () => import('@/views/TaskDetailView.vue'),
        meta: { title: '任务详情' },
      },
      {
        path: 'my-tasks',
        component: () => import('@/views/MyTasksView.vue'),
        meta: { title: '我的任务', roles: ['unit'] },
      },
      {
        path: 'notifications',
        component: () => import('@/views/NotificationsView.vue'),
        meta: { title: '消息' },
      },
      {
        path: ':rest(.*)*',
        component: () => import('@/views/NotFoundView.vue'),
        meta: { title: '不存在' },
      },
    ],
  },
];

export function homeOf(role: string | null): string {
  if (role === 'unit') return '/my-tasks';
  return '/tasks';
}

export const router = createRouter({ history: createWebHistory(), routes });

let restored = false;
router.beforeEach(async (to) => {
  const auth = useAuthStore();
  if (!auth.me && !restored) {
    restored = true;
    await auth.refresh();
  }
  if (to.meta.public) return auth.me && to.path === '/login' ? homeOf(auth.role) : true;
  if (!auth.me) return { path: '/login', query: { redirect: to.fullPath } };
  if (to.name === 'home') return homeOf(auth.role);
  if (to.meta.roles && !to.meta.roles.includes(auth.me.role)) return homeOf(auth.role);
  return true;
});
router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 创城督导整改` : '创城督导整改';
});
