import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { User } from '../users/user.entity.js';
import { hashPassword } from './passwords.js';

/**
 * Creates the first admin when no admin exists yet. Idempotent: a second call, or a second
 * process starting at the same moment, changes nothing (the username is unique).
 */
export async function ensureFirstAdmin(
  ds: DataSource,
  admin: { username: string; password: string; displayName?: string },
  opts: { evenIfAdminsExist?: boolean } = {},
): Promise<'created' | 'exists'> {
  const users = ds.getRepository(User);
  if (!opts.evenIfAdminsExist && (await users.existsBy({ role: 'admin' }))) return 'exists';
  const passwordHash = await hashPassword(admin.password);
  const result = await users
    .createQueryBuilder()
    .insert()
    .values({
      username: admin.username.toLowerCase(),
      displayName: admin.displayName ?? '系统管理员',
      role: 'admin',
      unitId: null,
      passwordHash,
    })
    .orIgnore()
    .execute();
  const created = (result.raw as unknown[]).length > 0;
  if (created) new Logger('Auth').log(`first admin "${admin.username}" created`);
  return created ? 'created' : 'exists';
}
