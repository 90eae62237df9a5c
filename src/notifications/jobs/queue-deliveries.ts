import type { JobQueue } from '../../jobs/job-queue.js';
import type { Delivered } from '../notifications.service.js';

/**
 * Queues one `deliver` job per webhook delivery and one `channel-send` job per 企业微信/钉钉/SMS
 * delivery an announcement recorded, and passes it on.
 */
export async function queueDeliveries(jobs: JobQueue, result: Delivered): Promise<Delivered> {
  for (const deliveryId of result.webhookDeliveryIds) await jobs.add('deliver', { deliveryId });
  for (const deliveryId of result.channelDeliveryIds ?? [])
    await jobs.add('channel-send', { deliveryId });
  return result;
}
