import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '../../common/auth/principal.js';
import { Clock } from '../../common/clock.js';
import { invalidField } from '../../common/errors/domain-error.js';
import { dbOf, type Db } from '../../database/kysely.js';
import { TransactionRunner } from '../../database/transaction.js';
import {
  BULLETIN_CONFIG,
  changeLetterhead,
  letterheadOf,
  mergeLetterhead,
} from '../report-config.js';
import { normaliseEditText } from './bulletin-edits.js';
import type { BulletinConfig } from './bulletin-model.js';
import { checkNextIssueNumber, nextIssueNumber } from './bulletin-numbering.js';
import { bulletinsRepository as bulletins } from './bulletins.repository.js';
import { BULLETIN_NUMBER_LOCK } from './bulletins.service.js';
import type {
  BulletinSettingsDto,
  LetterheadChangeDto,
  NextIssueNumberDto,
} from './dto/bulletin.dto.js';

/**
 * 快报设置: the next issue number and the letterhead defaults, changed by the office through the
 * API and read on every draft (no restart). config/bulletin.json stays the seed: a field the
 * office never changed, or set back (null), reads from the file. Every change is in the trail.
 */
@Injectable()
export class BulletinSettingsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    @Inject(BULLETIN_CONFIG) private readonly config: BulletinConfig,
  ) {}

  get(): Promise<BulletinSettingsDto> {
    return this.read(dbOf(this.ds.manager));
  }

  /**
   * Sets the number the next draft takes, under the numbering lock (a draft being created waits
   * or is waited for): after every published and every stored issue, with a reason.
   */
  setNextIssueNumber(p: Principal, dto: NextIssueNumberDto): Promise<BulletinSettingsDto> {
    const reason = normaliseEditText(dto.reason);
    if (reason === '') throw invalidField('reason', 'reason must not be empty', 'isNotEmpty');
    return this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      await bulletins.lockNumbering(db, BULLETIN_NUMBER_LOCK);
      const bounds = await bulletins.numberBounds(db);
      checkNextIssueNumber(dto.issueNumber, bounds);
      const before = await this.read(db);
      const now = this.clock.now();
      await bulletins.saveSettings(db, { nextIssueNumber: dto.issueNumber }, p.id, now);
      await bulletins.recordEvent(db, {
        bulletinId: null,
        issueNumber: dto.issueNumber,
        action: 'next_issue_number',
        actorId: p.id,
        actorName: p.displayName,
        reason,
        data: { from: before.nextIssueNumber, to: dto.issueNumber },
        now,
      });
      return this.read(db);
    });
  }

  /** Changes the letterhead defaults (null: back to config/bulletin.json). Drafts follow; published issues do not. */
  setLetterhead(p: Principal, changes: LetterheadChangeDto): Promise<BulletinSettingsDto> {
    return this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      const settings = await bulletins.settings(db);
      const next = changeLetterhead(settings.letterhead, changes, letterheadOf(this.config));
      if (JSON.stringify(next) === JSON.stringify(settings.letterhead)) return this.read(db);
      const now = this.clock.now();
      await bulletins.saveSettings(db, { letterhead: next }, p.id, now);
      await bulletins.recordEvent(db, {
        bulletinId: null,
        issueNumber: null,
        action: 'letterhead_defaults',
        actorId: p.id,
        actorName: p.displayName,
        data: { changes },
        now,
      });
      return this.read(db);
    });
  }

  private async read(db: Db): Promise<BulletinSettingsDto> {
    const settings = await bulletins.settings(db);
    const bounds = await bulletins.numberBounds(db);
    const events = await bulletins.settingsEvents(db, 20);
    return {
      nextIssueNumber: nextIssueNumber(
        bounds.stored,
        settings.next_issue_number,
        this.config.firstIssueNumber,
      ),
      nextIssueNumberSet: settings.next_issue_number,
      lastPublishedNumber: bounds.published,
      lastStoredNumber: bounds.stored,
      letterhead: mergeLetterhead(this.config, settings.letterhead),
      letterheadFromFile: letterheadOf(this.config),
      events: events.map((e) => ({
        id: String(e.id),
        bulletinId: e.bulletin_id,
        issueNumber: e.issue_number,
        action: e.action,
        actorName: e.actor_name,
        reason: e.reason,
        data: (e.data ?? {}) as Record<string, unknown>,
        createdAt: e.created_at.toISOString(),
      })),
    };
  }
}
