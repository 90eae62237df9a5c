import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiResponse,
  getSchemaPath,
  type ApiResponseOptions,
} from '@nestjs/swagger';
import { ProblemDto } from '../errors/problem.js';

/** What each problem status means to a caller, with the stable `code`s it may carry. */
export const PROBLEM_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: '请求参数有误（VALIDATION_FAILED，逐项字段错误见 `errors`；MALFORMED_JSON、INVALID_VALUE 等）',
  401: '未登录、凭证无效或已过期（UNAUTHENTICATED、TOKEN_EXPIRED 等）',
  403: '已登录，但当前角色无权执行此操作（FORBIDDEN）',
  404: '资源不存在，或调用方无权查看（如其他单位的任务；NOT_FOUND、TASK_NOT_FOUND 等）',
  409: '与当前状态或版本冲突（VERSION_CONFLICT、ILLEGAL_TRANSITION、CONFLICT 等）',
  413: '请求体或上传文件过大（PAYLOAD_TOO_LARGE）',
  415: '不支持的媒体类型（UNSUPPORTED_MEDIA_TYPE、ATTACHMENT_NOT_AN_IMAGE）',
  422: '格式正确，但违反业务规则（如 AFTER_PHOTO_REQUIRED、INVALID_PERIOD）',
  429: '请求过于频繁，请稍后再试（RATE_LIMITED，`Retry-After` 给出等待秒数）',
  503: '依赖的服务暂不可用（NOT_READY）',
};

/** The documented response for a problem status: RFC 9457 JSON, as the exception filter sends it. */
export function problemResponse(status: number): ApiResponseOptions & { description: string } {
  return {
    description: PROBLEM_DESCRIPTIONS[status] ?? '错误',
    content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
  };
}

/** Documents the problem+json responses a route can give. */
export const ApiProblems = (...statuses: number[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) => ApiResponse({ status, ...problemResponse(status) })),
  );
