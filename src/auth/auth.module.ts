import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule, InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { UnitsModule } from '../units/units.module.js';
import { User } from '../users/user.entity.js';
import { ApiKey } from './api-key.entity.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { PrincipalCache } from './principal-cache.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { ensureFirstAdmin } from './bootstrap-admin.js';
import { RefreshToken } from './refresh-token.entity.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([User, ApiKey, RefreshToken]),
    UnitsModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.auth.jwtSecret,
        signOptions: { algorithm: 'HS256', issuer: 'chuangcheng' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'chuangcheng' },
      }),
    }),
  ],
  controllers: [AuthController, ApiKeysController],
  providers: [
    AuthService,
    ApiKeysService,
    PrincipalCache,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, ApiKeysService],
})
export class AuthModule implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.auth.bootstrapAdmin;
    if (admin) await ensureFirstAdmin(this.ds, admin);
  }
}
