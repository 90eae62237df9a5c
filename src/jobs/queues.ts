/** Names of the bull queues. Queue code stays in src/jobs so that the queue library can change in one place. */
export const MAINTENANCE_QUEUE = 'maintenance';

export const MaintenanceJob = {
  PURGE_REFRESH_TOKENS: 'purge-refresh-tokens',
} as const;
