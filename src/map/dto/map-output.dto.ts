import { ApiProperty } from '@nestjs/swagger';
import { TASK_STATUSES, type TaskStatus } from '../../tasks/task-lifecycle.js';

/** A GeoJSON Point: [longitude, latitude] in WGS-84 / CGCS2000 degrees (RFC 7946). */
export class PointGeometryDto {
  @ApiProperty({ enum: ['Point'] }) type: 'Point';
  @ApiProperty({
    type: [Number],
    minItems: 2,
    maxItems: 2,
    example: [116.397, 39.908],
    description: '[longitude, latitude]',
  })
  coordinates: [number, number];
}

export class MapTaskPropertiesDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ZG-2026-000123' }) number: string;
  @ApiProperty({ enum: TASK_STATUSES, example: 'assigned' }) status: TaskStatus;
  @ApiProperty({ example: '整改中' }) statusLabel: string;
  @ApiProperty({
    enum: ['green', 'yellow', 'red'],
    nullable: true,
    description: '红黄绿灯 of a task with the unit (assigned); null otherwise',
  })
  light: 'green' | 'yellow' | 'red' | null;
  @ApiProperty({
    enum: ['none', 'reminder', 'supervise', 'notify'],
    nullable: true,
    description: 'Escalation of a task with the unit (assigned); null otherwise',
  })
  escalation: 'none' | 'reminder' | 'supervise' | 'notify' | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ example: 'HJ07' }) categoryCode: string;
  @ApiProperty({ example: '乱堆乱放' }) categoryName: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) unitId: string | null;
  @ApiProperty({ nullable: true, type: String }) unitName: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) siteId: string | null;
  @ApiProperty({ nullable: true, type: String }) siteName: string | null;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deadline: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({
    enum: ['task', 'site'],
    description:
      "Where the point comes from: the task's own position, or its site's when it has none",
  })
  positionFrom: 'task' | 'site';
}

export class MapTaskFeatureDto {
  @ApiProperty({ enum: ['Feature'] }) type: 'Feature';
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: PointGeometryDto }) geometry: PointGeometryDto;
  @ApiProperty({ type: MapTaskPropertiesDto }) properties: MapTaskPropertiesDto;
}

export class MapTaskCollectionDto {
  @ApiProperty({ enum: ['FeatureCollection'] }) type: 'FeatureCollection';
  @ApiProperty({ type: [MapTaskFeatureDto] }) features: MapTaskFeatureDto[];
  @ApiProperty({ description: 'More tasks matched than `limit`: zoom in or narrow the filter' })
  truncated: boolean;
  @ApiProperty({ example: 2000 }) limit: number;
}

export class MapSitePropertiesDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) code: string | null;
  @ApiProperty({ example: '幸福社区' }) name: string;
  @ApiProperty({ example: '社区' }) kind: string;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) defaultUnitId: string | null;
  @ApiProperty({ nullable: true, type: String }) defaultUnitName: string | null;
  @ApiProperty({ description: 'Open tasks at the site the caller may see' }) openTasks: number;
}

export class MapSiteFeatureDto {
  @ApiProperty({ enum: ['Feature'] }) type: 'Feature';
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: PointGeometryDto }) geometry: PointGeometryDto;
  @ApiProperty({ type: MapSitePropertiesDto }) properties: MapSitePropertiesDto;
}

export class MapSiteCollectionDto {
  @ApiProperty({ enum: ['FeatureCollection'] }) type: 'FeatureCollection';
  @ApiProperty({ type: [MapSiteFeatureDto] }) features: MapSiteFeatureDto[];
}

export class MapGridCellDto {
  @ApiProperty({ description: "Longitude of the cell's centre", example: 116.395 }) lng: number;
  @ApiProperty({ description: "Latitude of the cell's centre", example: 39.905 }) lat: number;
  @ApiProperty({ example: 12 }) n: number;
}

export class MapGridDto {
  @ApiProperty({ description: 'Cell size in degrees', example: 0.01 }) cell: number;
  @ApiProperty({ description: 'Sum of the cells: the tasks the same filter puts on the map' })
  total: number;
  @ApiProperty({ type: [MapGridCellDto], description: 'Cells with at least one task' })
  cells: MapGridCellDto[];
}

export class TileLayerDto {
  @ApiProperty({ description: 'Leaflet URL template with {s} {z} {x} {y}' }) url: string;
  @ApiProperty({ type: [String] }) subdomains: string[];
  @ApiProperty() attribution: string;
  @ApiProperty({ enum: ['base', 'labels'] }) kind: 'base' | 'labels';
}

export class MapConfigDto {
  @ApiProperty({
    type: [TileLayerDto],
    description: 'Tile layers in drawing order; empty: a blank background',
  })
  tiles: TileLayerDto[];
  @ApiProperty({ example: 30, description: 'Default of closedWithinDays' })
  closedWithinDays: number;
}
