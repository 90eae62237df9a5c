/** Injection token of the shared fail-fast Redis client (see RedisModule). */
export const REDIS = Symbol('REDIS');
