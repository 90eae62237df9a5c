import { useAuthStore } from '@/stores/auth';

/** Fetches a file the API serves (with the bearer token) and saves it under the server's name. */
export async function download(url: string, fallbackName: string): Promise<void> {
  const auth = useAuthStore();
  let res = await fetch(url, { headers: { authorization: `Bearer ${auth.token ?? ''}` } });
  if (res.status === 401 && (await auth.refresh())) {
    res = await fetch(url, { headers: { authorization: `Bearer ${auth.token ?? ''}` } });
  }
  if (!res.ok) throw new Error(`下载失败（${res.status}）`);
  const disposition = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : fallbackName;
  const blob = await res.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** A query string from filters, arrays comma-joined as the API reads them. */
export function toSearch(params: Record<string, unknown>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    s.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  return s.toString();
}
