import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import type { Db } from '../database/kysely.js';
import type { BulletinSection, ClosedTaskCount } from '../reports/bulletin/bulletin-model.js';
import { composeInfoSections, printedInfoItemIds } from '../reports/bulletin/info-sections.js';
import { InfoColumns } from './info-columns.js';
import { infoItemsRepository as items } from './info-items.repository.js';

/**
 * Where 信息报送 meets the 快报 (the two calls BulletinsService makes): drafting places the
 * adopted, unpublished items (src/reports/bulletin/info-sections.ts holds the rules), and
 * publishing marks the items the issue prints 已刊发 with its number, each with an event.
 */
@Injectable()
export class InfoBulletinService {
  constructor(private readonly columns: InfoColumns) {}

  /** The draft's sections with the adopted items placed under their 栏目. */
  async compose(
    db: Db,
    sections: BulletinSection[],
    closed: ClosedTaskCount[],
    featuredUnits: number,
  ): Promise<BulletinSection[]> {
    const adopted = await items.adoptedForBulletin(db);
    return composeInfoSections(
      sections,
      adopted.map((r) => ({
        id: r.id,
        unitName: r.unit_name,
        unitRank: r.unit_rank,
        column: r.column_code,
        kind: r.kind,
        title: r.title,
        body: r.body,
        adoptedAt: new Date(r.adopted_at ?? 0),
      })),
      closed,
      this.columns,
      { featuredUnits },
    );
  }

  /**
   * In the publishing transaction: the items whose paragraphs the issue prints (edits applied,
   * as published) become 已刊发 in issue `issueNumber`. Items returned since the draft was
   * written stay returned.
   */
  async markPublished(
    db: Db,
    bulletin: { id: string; issueNumber: number; sections: { paragraphs: { key: string }[] }[] },
    p: Principal,
    now: Date,
  ): Promise<void> {
    // The generated text says which items each paragraph prints; the issue as published says
    // which paragraphs it kept.
    const row = await db
      .selectFrom('bulletins')
      .select('generated')
      .where('id', '=', bulletin.id)
      .executeTakeFirst();
    const generated = (row?.generated ?? []) as unknown as BulletinSection[];
    const printed = new Set(bulletin.sections.flatMap((s) => s.paragraphs.map((x) => x.key)));
    const ids = printedInfoItemIds(generated, printed);
    const marked = await items.markPublished(db, ids, bulletin, now);
    for (const itemId of marked) {
      await items.insertEvent(db, {
        itemId,
        action: 'publish',
        from: 'adopted',
        to: 'published',
        actor: { kind: p.kind, id: p.id, name: p.displayName, role: p.role },
        note: `第${bulletin.issueNumber}期`,
        data: { bulletinId: bulletin.id, issueNumber: bulletin.issueNumber },
        at: now,
      });
    }
  }
}
