import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CommonErrorCode, DomainError } from '../common/errors/domain-error.js';

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/**
 * The one way to run a multi-row write: everything `work` does through the manager it is handed
 * commits together or not at all. Outbox rows written inside leave only after commit.
 */
@Injectable()
export class TransactionRunner {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  withTransaction<T>(
    work: (em: EntityManager) => Promise<T>,
    isolation?: IsolationLevel,
  ): Promise<T> {
    return isolation
      ? this.dataSource.transaction(isolation, work)
      : this.dataSource.transaction(work);
  }
}

/**
 * Reads back what a committed transaction created. A failure here (the connection dropped after
 * COMMIT) must not report the write as failed, or a client retrying without an Idempotency-Key
 * creates it twice: the answer is a 503 that carries the created id and where to read it.
 */
export async function readAfterCommit<T>(
  id: string,
  location: string,
  read: () => Promise<T>,
): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof DomainError && e.kind !== 'unavailable') throw e;
    throw new DomainError(
      'unavailable',
      CommonErrorCode.COMMITTED_READ_FAILED,
      `已保存（${location}），但暂时无法读取，请稍后刷新查看，不要重复提交`,
      { id, location },
    );
  }
}
