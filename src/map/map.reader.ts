import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { invalidField } from '../common/errors/domain-error.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { dbOf } from '../database/kysely.js';
import { SqlWhere } from '../database/sql-where.js';
import { conditionOf } from '../tasks/data/sql-where.js';
import { DeadlineService } from '../tasks/deadline/deadline.service.js';
import { scopeToPrincipal } from '../tasks/task-filter.js';
import { statusLabel } from '../tasks/task-lifecycle.js';
import { TaskReader } from '../tasks/task-reader.js';
import {
  mapGrid,
  mapSites,
  mapTasks,
  OPEN_STATUSES,
  type MapTaskRow,
} from './data/map.repository.js';
import {
  MAP_MAX_GRID_CELLS,
  parseBbox,
  type BBox,
  type MapGridQuery,
  type MapTasksQuery,
} from './dto/map.query.js';
import type {
  MapConfigDto,
  MapGridDto,
  MapSiteCollectionDto,
  MapTaskCollectionDto,
  MapTaskFeatureDto,
} from './dto/map-output.dto.js';

const DAY_MS = 86_400_000;
export const DEFAULT_CLOSED_WITHIN_DAYS = 30;
const DEFAULT_LIMIT = 2000;
const MAX_SITES = 5000;
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The box of a validated query parameter (the DTO has already refused a bad one). */
function boxOf(bbox: string | undefined): BBox | null {
  if (bbox === undefined) return null;
  const b = parseBbox(bbox);
  if (typeof b === 'string') throw invalidField('bbox', b, 'isBbox');
  return b;
}

/**
 * 一张图: the tasks the caller may see as GeoJSON points, with exactly the task list's filters
 * and scope (`TaskReader.filterWhere`), limited to what is still open or closed recently.
 */
@Injectable()
export class MapReader {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reader: TaskReader,
    private readonly deadlines: DeadlineService,
    private readonly clock: Clock,
  ) {}

  mapConfig(): MapConfigDto {
    return { tiles: this.config.map.tiles, closedWithinDays: DEFAULT_CLOSED_WITHIN_DAYS };
  }

  /** The list's WHERE plus "open, or closed within the last `days` days". */
  private matching(principal: Principal, q: MapTasksQuery | MapGridQuery, now: Date) {
    const where = this.reader.filterWhere(principal, q, now);
    const days = q.closedWithinDays ?? DEFAULT_CLOSED_WITHIN_DAYS;
    where.add(
      `(t.status = ANY(?) OR (t.status = 'closed' AND t.closed_at >= ?))`,
      OPEN_STATUSES,
      new Date(now.getTime() - days * DAY_MS),
    );
    return () => conditionOf(where);
  }

  async tasks(principal: Principal, q: MapTasksQuery): Promise<MapTaskCollectionDto> {
    const now = this.clock.now();
    const limit = q.limit ?? DEFAULT_LIMIT;
    const rows = await mapTasks(
      dbOf(this.ds.manager),
      this.matching(principal, q, now),
      boxOf(q.bbox),
      limit + 1,
    );
    return {
      type: 'FeatureCollection',
      features: rows.slice(0, limit).map((r) => this.feature(r, now)),
      truncated: rows.length > limit,
      limit,
    };
  }

  async grid(principal: Principal, q: MapGridQuery): Promise<MapGridDto> {
    const box = boxOf(q.bbox);
    if (!box) throw invalidField('bbox', 'bbox is required', 'isDefined');
    const span = Math.max(box.maxLng - box.minLng, box.maxLat - box.minLat);
    const cell = q.cell ?? Math.max(span / 64, 0.0001);
    const cells =
      (Math.floor(box.maxLng / cell) - Math.floor(box.minLng / cell) + 1) *
      (Math.floor(box.maxLat / cell) - Math.floor(box.minLat / cell) + 1);
    if (cells > MAP_MAX_GRID_CELLS) {
      throw invalidField(
        'cell',
        `the box holds ${cells} cells of this size, more than ${MAP_MAX_GRID_CELLS}: choose a larger cell`,
        'maxCells',
      );
    }
    const now = this.clock.now();
    const rows = await mapGrid(dbOf(this.ds.manager), this.matching(principal, q, now), box, cell);
    const centre = (k: number) => Math.round((k + 0.5) * cell * 1e7) / 1e7;
    return {
      cell,
      total: rows.reduce((a, r) => a + r.n, 0),
      cells: rows.map((r) => ({ lng: centre(r.gx), lat: centre(r.gy), n: r.n })),
    };
  }

  async sites(principal: Principal, bbox: string | undefined): Promise<MapSiteCollectionDto> {
    const rows = await mapSites(
      dbOf(this.ds.manager),
      conditionOf(scopeToPrincipal(new SqlWhere(), principal)),
      boxOf(bbox),
      MAX_SITES,
    );
    return {
      type: 'FeatureCollection',
      features: rows.map((r) => ({
        type: 'Feature',
        id: r.id,
        geometry: { type: 'Point', coordinates: [r.lng, r.lat] },
        properties: {
          id: r.id,
          code: r.code,
          name: r.name,
          kind: r.kind,
          address: r.address,
          defaultUnitId: r.default_unit_id,
          defaultUnitName: r.default_unit_name,
          openTasks: r.open_tasks,
        },
      })),
    };
  }

  private feature(r: MapTaskRow, now: Date): MapTaskFeatureDto {
    const timing =
      r.status === 'assigned' && r.assigned_at && r.deadline
        ? this.deadlines.assess(r.assigned_at, r.deadline, now)
        : null;
    return {
      type: 'Feature',
      id: r.id,
      geometry: { type: 'Point', coordinates: [r.lng, r.lat] },
      properties: {
        id: r.id,
        number: r.number,
        status: r.status,
        statusLabel: statusLabel(r.status),
        light: timing?.light ?? null,
        escalation: timing?.escalation ?? null,
        overdue: timing?.overdue ?? false,
        categoryCode: r.category_code,
        categoryName: r.category_name,
        unitId: r.unit_id,
        unitName: r.unit_name,
        siteId: r.site_id,
        siteName: r.site_name,
        address: r.address,
        deadline: iso(r.deadline),
        closedAt: iso(r.closed_at),
        positionFrom: r.position_from,
      },
    };
  }
}
