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
        path: 'map',
        component: () => import('@/views/MapView.vue'),
        meta: { title: '一张图' },
      },
      {
        path: 'my-tasks',
        component: () => import('@/views/MyTasksView.vue'),
        meta: { title: '我的任务', roles: ['unit'] },
      },
      {
        path: 'dashboard',
        component: () => import('@/views/DashboardView.vue'),
        meta: { title: '工作台', roles: ['admin', 'inspector'] },
      },
      {
        path: 'todo',
        component: () => import('@/views/TodoView.vue'),
        meta: { title: '待办', roles: ['admin'] },
      },
      {
        path: 'evaluation',
        component: () => import('@/views/EvaluationView.vue'),
        meta: { title: '综合评价', roles: ['admin', 'inspector'] },
      },
      {
        path: 'my-figures',
        component: () => import('@/views/MyFiguresView.vue'),
        meta: { title: '本单位评价', roles: ['unit'] },
      },
      {
        path: 'bulletins',
        component: () => import('@/views/BulletinsView.vue'),
        meta: { title: '快报', roles: ['admin', 'inspector'] },
      },
      {
        path: 'bulletins/:id',
        component: () => import('@/views/BulletinDetailView.vue'),
        meta: { title: '快报', roles: ['admin', 'inspector'] },
      },
      {
        path: 'inspections',
        component: () => import('@/views/InspectionsView.vue'),
        meta: { title: '督导检查', roles: ['admin', 'inspector'] },
      },
      {
        path: 'inspections/:id',
        component: () => import('@/views/InspectionDetailView.vue'),
        meta: { title: '督导检查', roles: ['admin', 'inspector'] },
      },
      {
        path: 'plans',
        component: () => import('@/views/PlansView.vue'),
        meta: { title: '督导计划', roles: ['admin'] },
      },
      {
        path: 'imports',
        component: () => import('@/views/ImportView.vue'),
        meta: { title: '导入问题清单', roles: ['admin'] },
      },
      {
        path: 'settings',
        component: () => import('@/views/SettingsView.vue'),
        meta: { title: '设置', roles: ['admin'] },
      },
      {
        path: 'info-reports',
        component: () => import('@/views/InfoReportsView.vue'),
        meta: { title: '信息报送', roles: ['unit'] },
      },
      {
        path: 'info-inbox',
        component: () => import('@/views/InfoInboxView.vue'),
        meta: { title: '信息采编', roles: ['admin'] },
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
  if (role === 'admin') return '/dashboard';
  return '/tasks';
}

export const router = createRouter({ history: createWebHistory(), routes });

let restored = false;
router.beforeEach(async (to) => {
  const auth = useAuthStore();
  if (!auth.me && !restored) {
    restored = true;
    // The page's code starts loading while the session is restored, not after: on a slow
    // connection the two round trips overlap instead of adding up.
    for (const record of to.matched)
      for (const c of Object.values(record.components ?? {}))
        if (typeof c === 'function') void (c as () => Promise<unknown>)().catch(() => undefined);
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
