import { Module } from '@nestjs/common';
import { TasksModule } from '../tasks/tasks.module.js';
import { MapController } from './map.controller.js';
import { MapReader } from './map.reader.js';

/** 一张图 (issue 16): the map's GeoJSON, grid counts and tile configuration. */
@Module({
  imports: [TasksModule],
  controllers: [MapController],
  providers: [MapReader],
})
export class MapModule {}
