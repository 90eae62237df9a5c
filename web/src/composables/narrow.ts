import { onMounted, onUnmounted, ref, type Ref } from 'vue';

/** The width below which screens switch to their phone layout (cards, a menu drawer). */
export const NARROW_QUERY = '(max-width: 768px)';

/** True while the window is a phone's width; follows rotation and resizing. */
export function useNarrow(): Ref<boolean> {
  const narrow = ref(false);
  let mq: MediaQueryList | undefined;
  const onChange = () => (narrow.value = !!mq?.matches);
  onMounted(() => {
    mq = window.matchMedia(NARROW_QUERY);
    onChange();
    mq.addEventListener('change', onChange);
  });
  onUnmounted(() => mq?.removeEventListener('change', onChange));
  return narrow;
}
