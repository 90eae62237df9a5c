import { Reflector } from '@nestjs/core';

/** A handler or a controller class, as guards pass them (`[context.getHandler(), context.getClass()]`). */
type Targets = Parameters<Reflector['getAllAndOverride']>[1];
type Target = Targets[number];

/**
 * Nest's `Reflector` whose `getAllAndOverride` answers from a per-route memo: the guards that run
 * on every request (authentication, rate limits) ask the same decorator metadata of the same
 * handler and controller each time — 20-odd `Reflect.getMetadata` walks a request, ~5 % of a
 * trivial route's CPU (speed, issue 15). Decorator metadata is written when the classes are
 * defined and never changes once Nest has started, so the first answer stands. Other methods are
 * Nest's own.
 */
export class RouteMetadata extends Reflector {
  private readonly memo = new WeakMap<Target, WeakMap<Target, Map<unknown, unknown>>>();

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Reflector's own signature
  override getAllAndOverride<TResult = any, TKey = any>(
    metadataKey: TKey,
    targets: Targets,
  ): TResult {
    const [handler, cls, ...rest] = targets;
    // Only the usual pair (handler, class) is memoised; anything else is asked each time.
    if (!handler || !cls || rest.length)
      return super.getAllAndOverride<TResult, TKey>(metadataKey, targets);
    let byClass = this.memo.get(handler);
    if (!byClass) this.memo.set(handler, (byClass = new WeakMap()));
    let byKey = byClass.get(cls);
    if (!byKey) byClass.set(cls, (byKey = new Map()));
    if (byKey.has(metadataKey)) return byKey.get(metadataKey) as TResult;
    const value = super.getAllAndOverride<TResult, TKey>(metadataKey, targets);
    byKey.set(metadataKey, value);
    return value;
  }
}
