import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source-options.js';
import { ChangeFeed } from './change-feed.js';
import { keepPoolErrorsHandled } from './pool-errors.js';
import { TransactionRunner } from './transaction.js';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => dataSourceOptions(config),
      dataSourceFactory: async (options) => {
        const ds = await new DataSource(options!).initialize();
        keepPoolErrorsHandled(ds);
        return ds;
      },
    }),
  ],
  providers: [TransactionRunner, ChangeFeed],
  exports: [TransactionRunner, ChangeFeed],
})
export class DatabaseModule {}
