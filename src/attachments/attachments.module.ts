import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Attachment } from './attachment.entity.js';
import { AttachmentsController } from './attachments.controller.js';
import { AttachmentsService } from './attachments.service.js';
import { PhotoVariantsService } from './evidence/photo-variants.service.js';
import { ATTACHMENT_STORAGE } from './storage/attachment-storage.js';
import { LocalDiskStorage } from './storage/local-disk.storage.js';

/** Evidence photos. Other features cite them through AttachmentsService.assertUsable. */
@Module({
  imports: [TypeOrmModule.forFeature([Attachment])],
  controllers: [AttachmentsController],
  providers: [
    AttachmentsService,
    PhotoVariantsService,
    { provide: ATTACHMENT_STORAGE, useClass: LocalDiskStorage },
  ],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
