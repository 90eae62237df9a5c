import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { Open311AuthGuard } from './open311-auth.guard.js';
import { Open311Controller } from './open311.controller.js';
import { Open311Reader } from './open311.reader.js';
import { Open311Service } from './open311.service.js';

/** Open311 GeoReport v2 for integrators (see README, "Open311 GeoReport v2"). */
@Module({
  imports: [AuthModule, TasksModule],
  controllers: [Open311Controller],
  providers: [Open311Service, Open311Reader, Open311AuthGuard],
})
export class Open311Module {}
