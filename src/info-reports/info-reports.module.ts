import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { InfoBulletinService } from './info-bulletin.service.js';
import { InfoColumns, loadInfoColumns } from './info-columns.js';
import { InfoItemsController } from './info-items.controller.js';
import { InfoItemsService } from './info-items.service.js';

/**
 * 信息报送. The 快报 reads adopted items and marks published ones through InfoBulletinService;
 * the weekly digest counts adopted items per unit (src/reports/digest/info-items.reader.ts).
 */
@Module({
  imports: [AttachmentsModule],
  controllers: [InfoItemsController],
  providers: [
    InfoItemsService,
    InfoBulletinService,
    {
      provide: InfoColumns,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => loadInfoColumns(c.configDir),
    },
  ],
  exports: [InfoBulletinService, InfoColumns],
})
export class InfoReportsModule {}
