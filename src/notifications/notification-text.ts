/** Beijing wall-clock time for message text: `11月25日17:30`. */
export function beijingTime(d: Date): string {
  const b = new Date(d.getTime() + 8 * 3_600_000);
  const hh = String(b.getUTCHours()).padStart(2, '0');
  const mm = String(b.getUTCMinutes()).padStart(2, '0');
  return `${b.getUTCMonth() + 1}月${b.getUTCDate()}日${hh}:${mm}`;
}

export interface TaskFacts {
  number: string;
  categoryName: string;
  description: string;
  place: string;
  deadline: Date | null;
  unitName: string | null;
}

export type NotificationKind =
  | 'assigned'
  | 'returned'
  | 'reopened'
  | 'extension_approved'
  | 'extension_refused'
  | 'extension_requested'
  | 'disputed'
  | 'reminder'
  | 'supervise'
  | 'notify'
  | 'overdue_summary';

export type TaskNotificationKind = Exclude<NotificationKind, 'overdue_summary'>;

const due = (t: TaskFacts): string => (t.deadline ? `，整改时限${beijingTime(t.deadline)}` : '');

/** The inbox text of each kind, as the office writes it. */
export function notificationText(
  kind: TaskNotificationKind,
  t: TaskFacts,
  note?: string | null,
): { title: string; body: string } {
  const what = `${t.categoryName}：${t.description}（${t.place}）`;
  const why = note ? `。说明：${note}` : '';
  switch (kind) {
    case 'assigned':
      return { title: `新整改任务 ${t.number}`, body: `${what}${due(t)}。` };
    case 'returned':
      return { title: `任务 ${t.number} 复查未通过，请返工`, body: `${what}${due(t)}${why}。` };
    case 'reopened':
      return { title: `任务 ${t.number} 问题反弹，请重新整改`, body: `${what}${due(t)}${why}。` };
    case 'extension_approved':
      return {
        title: `任务 ${t.number} 延期申请已批准`,
        body: `新的整改时限${t.deadline ? beijingTime(t.deadline) : ''}${why}。`,
      };
    case 'extension_refused':
      return {
        title: `任务 ${t.number} 延期申请未获批准`,
        body: `请按原时限完成整改${due(t)}${why}。`,
      };
    case 'extension_requested':
      return { title: `${t.unitName ?? ''}申请延期：任务 ${t.number}`, body: `${what}${why}。` };
    case 'disputed':
      return { title: `${t.unitName ?? ''}对任务 ${t.number} 提出申诉`, body: `${what}${why}。` };
    case 'reminder':
      return { title: `任务 ${t.number} 即将到期`, body: `${what}${due(t)}，请抓紧整改。` };
    case 'supervise':
      return {
        title: `督办：任务 ${t.number} 已超期`,
        body: `${what}${due(t)}，已超期，请立即整改并反馈。`,
      };
    case 'notify':
      return {
        title: `通报：任务 ${t.number} 严重超期`,
        body: `${what}${due(t)}，长期超期未整改，将予以通报。`,
      };
  }
}
