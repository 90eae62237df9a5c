import type { NearbyTask, Task } from './api';
import { getValue, setValue } from './db';

/**
 * Tasks awaiting a 复查 as last seen online, kept on the phone: a check can then be done with no
 * network, against the version the inspector saw (a newer one on the server is a 409, shown).
 */
const LIST = 'checksList';
const detailKey = (id: string) => `checkTask:${id}`;

export const keptChecks = async (): Promise<NearbyTask[]> =>
  (await getValue<NearbyTask[]>(LIST)) ?? [];
export const keepChecks = (list: NearbyTask[]) => setValue(LIST, JSON.parse(JSON.stringify(list)));
export const keptTask = (id: string) => getValue<Task>(detailKey(id));
export const keepTask = (t: Task) => setValue(detailKey(t.id), JSON.parse(JSON.stringify(t)));
