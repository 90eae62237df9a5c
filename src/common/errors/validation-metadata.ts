import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type ValidationMetadata = ReturnType<Storage['getTargetValidationMetadatas']>[number];

const memoized = new WeakSet<Storage>();

/**
 * class-validator looks up a class's rules on every `validate()` by testing every registered
 * class for inheritance (typestack/class-validator#2686, open): with this service's few hundred
 * DTOs that was ~3.5 % of the CPU of a create or a transition (issue 15's profile). The answer
 * for a class never changes once its module has loaded, so it is kept per class and per
 * validation options, as Twenty's server does (twentyhq/twenty#24085); any rule registered later
 * (a class loaded afterwards) drops what was kept. Idempotent.
 */
export function memoizeValidationMetadata(storage: Storage = getMetadataStorage()): void {
  if (memoized.has(storage)) return;
  memoized.add(storage);
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const register = storage.addValidationMetadata.bind(storage);
  let kept = new WeakMap<object, Map<string, ValidationMetadata[]>>();
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = JSON.stringify([schema, always, strictGroups, groups ?? null]);
    let byOptions = kept.get(target);
    if (!byOptions) {
      byOptions = new Map();
      kept.set(target, byOptions);
    }
    let found = byOptions.get(key);
    if (!found) {
      found = lookUp(target, schema, always, strictGroups, groups);
      byOptions.set(key, found);
    }
    return found;
  };
  storage.addValidationMetadata = (metadata) => {
    kept = new WeakMap();
    register(metadata);
  };
}
