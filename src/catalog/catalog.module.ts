import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UnitsModule } from '../units/units.module.js';
import { CategoriesService } from './categories.service.js';
import { CategoriesController, SitesController } from './catalog.controller.js';
import { Category } from './category.entity.js';
import { Site } from './site.entity.js';
import { SitesService } from './sites.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Category, Site]), UnitsModule],
  controllers: [CategoriesController, SitesController],
  providers: [CategoriesService, SitesService],
  exports: [CategoriesService, SitesService],
})
export class CatalogModule {}
