import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UnitsModule } from '../units/units.module.js';
import { CategoriesService } from './categories.service.js';
import { CategoriesController, SitesController } from './catalog.controller.js';
import { Category } from './category.entity.js';
import { Site } from './site.entity.js';
import { SitesService } from './sites.service.js';
import { SourcesController } from './sources.controller.js';
import { loadTaskSources, TaskSources } from './task-sources.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

@Module({
  imports: [TypeOrmModule.forFeature([Category, Site]), UnitsModule],
  controllers: [CategoriesController, SitesController, SourcesController],
  providers: [
    CategoriesService,
    SitesService,
    {
      provide: TaskSources,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => loadTaskSources(c.configDir),
    },
  ],
  exports: [CategoriesService, SitesService, TaskSources],
})
export class CatalogModule {}
