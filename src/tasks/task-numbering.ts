/**
 * Prefix of the placeholder a task is inserted with; the deferred trigger `tr_tasks_number`
 * (migration RectificationLoop) replaces it with `ZG-<year>-<seq>` inside COMMIT.
 */
export const NEW_TASK_NUMBER_PREFIX = 'ZG-NEW-';
