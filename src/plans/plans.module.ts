import { Module } from '@nestjs/common';
import { PlansController, UnvisitedSitesController } from './plans.controller.js';
import { PlansService } from './plans.service.js';

/** 督导计划 and 督导覆盖率 (coverage.reader.ts, also read by the weekly digest). */
@Module({
  controllers: [PlansController, UnvisitedSitesController],
  providers: [PlansService],
  exports: [PlansService],
})
export class PlansModule {}
