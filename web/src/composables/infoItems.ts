import { ref } from 'vue';
import { api, type Schemas } from '@/api/client';

export type InfoItem = Schemas['InfoItemDetailDto'];
export type InfoItemSummary = Schemas['InfoItemDto'];
export type InfoStatus = InfoItem['status'];
export type InfoColumn = Schemas['InfoColumnDto'];

/** 信息报送 states as the office names them, with the tag colour each is shown in. */
export const INFO_STATUS: Record<
  InfoStatus,
  { label: string; type: 'info' | 'success' | 'warning' | 'danger' | 'primary' }
> = {
  pending: { label: '待审', type: 'primary' },
  adopted: { label: '已采用', type: 'success' },
  returned: { label: '已退回', type: 'danger' },
  published: { label: '已刊发', type: 'info' },
  withdrawn: { label: '已撤回', type: 'info' },
};
export const INFO_STATUSES = Object.keys(INFO_STATUS) as InfoStatus[];

/** What a trail entry's action reads as. */
export const INFO_ACTION: Record<string, string> = {
  submit: '报送',
  edit: '修改',
  withdraw: '撤回',
  resubmit: '重新报送',
  adopt: '采用',
  return: '退回',
  publish: '刊发',
};

const columns = ref<InfoColumn[]>([]);
const briefMaxChars = ref(200);
let loading: Promise<void> | null = null;

/** The 栏目 and the own-item threshold, read once per session. */
export function useInfoColumns() {
  loading ??= api.GET('/api/v1/info-items/columns').then(({ data }) => {
    if (data) {
      columns.value = data.columns;
      briefMaxChars.value = data.briefMaxChars;
    } else {
      loading = null;
    }
  });
  return { columns, briefMaxChars, ready: loading };
}

/** Characters that print: what the own-item threshold counts. */
export function printedLength(text: string): number {
  return [...text.replace(/\s+/g, '')].length;
}

/** The editable part of an item, as the forms hold it. */
export interface InfoContent {
  column: string;
  kind: string;
  title: string;
  text: string;
  workDate: string;
  photoIds: string[];
}

export function contentOf(item?: InfoItemSummary): InfoContent {
  return {
    column: item?.column ?? '',
    kind: item?.kind ?? '',
    title: item?.title ?? '',
    text: item?.text ?? '',
    workDate: item?.workDate ?? '',
    photoIds: item?.photos.map((p) => p.id) ?? [],
  };
}

/** The body the API takes: an empty 工作类型 is none. */
export function bodyOf(c: InfoContent) {
  return {
    column: c.column,
    kind: c.kind.trim() === '' ? null : c.kind.trim(),
    title: c.title,
    text: c.text,
    workDate: c.workDate,
    photoIds: c.photoIds,
  };
}
