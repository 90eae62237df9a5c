import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

interface RequestWithHeaders {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * One request header, as `@Headers(name)` reads it. A custom parameter decorator because
 * @nestjs/swagger documents every `@Headers(name)` as a *required* header parameter, under the
 * lower-case name: the optional, documented form is the route's `@ApiHeader` (below).
 */
export const RequestHeader = createParamDecorator(
  (name: string, ctx: ExecutionContext): string | undefined => {
    const value = ctx.switchToHttp().getRequest<RequestWithHeaders>().headers[name.toLowerCase()];
    // Node joins repeated headers into one string (set-cookie aside), so an array is not expected.
    return Array.isArray(value) ? value.join(', ') : value;
  },
);

/** `If-Match: "3"`: the task version the client saw, instead of `version` in the body. */
export const ApiIfMatchHeader = (): MethodDecorator & ClassDecorator =>
  ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      '客户端看到的任务版本号（如 `"3"`），可代替请求体中的 `version`；过期的版本答 409 VERSION_CONFLICT',
    schema: { type: 'string', example: '"3"' },
  });

/** `Idempotency-Key`: a retry with the same key returns the first result. */
export const ApiIdempotencyKeyHeader = (): MethodDecorator & ClassDecorator =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      '幂等键（8–100 个 A-Z a-z 0-9 _ . : -）：带同一键重试时返回第一次的结果，不会重复创建',
    schema: { type: 'string', example: '3f6c2a9e-1b7d-4e0a-9c55-0d2f8b1e7a44' },
  });
