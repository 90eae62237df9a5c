import { SetMetadata } from '@nestjs/common';

export const LOGIN_THROTTLED = 'throttling:login';

/**
 * The route counts toward the login limit: per client address *and* username, so one user's
 * typos never lock out a whole office behind one NAT address, while guessing one account's
 * password stays slow.
 */
export const LoginThrottled = (): MethodDecorator => SetMetadata(LOGIN_THROTTLED, true);
