import type { SyncState } from './db';

const STATE_TEXT: Record<SyncState, string> = {
  pending: '待同步',
  sending: '同步中',
  synced: '已同步',
  failed: '被退回',
};
export const stateText = (s: SyncState): string => STATE_TEXT[s];

/** Server field names as the inspector reads them, for errors shown next to the field. */
export const FIELD_TEXT: Record<string, string> = {
  categoryId: '问题类别',
  siteId: '点位',
  description: '问题描述',
  beforePhotoIds: '照片',
  photos: '照片',
  photoIds: '照片',
  lat: '位置',
  lng: '位置',
  foundAt: '发现时间',
  inspectionId: '督导检查',
  version: '任务版本',
  note: '说明',
  file: '照片',
  results: '检查项',
};
