import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { CommonErrorCode, DomainError, type FieldProblem } from './domain-error.js';
import { memoizeValidationMetadata } from './validation-metadata.js';

/** At most this many field errors are listed in a problem body; `errorCount` gives the total. */
export const MAX_LISTED_ERRORS = 50;

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([code, message]) => ({
      field,
      code,
      message: code === 'whitelistValidation' ? `${field} is not an accepted field` : message,
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Nest reads a missing body and a JSON `null` alike as `{}`. A missing body stays `{}` (a POST
 * whose fields are all optional, like a default 快报 draft, may come without one); `null` is a
 * body that is not an object, refused like `[]` or `"str"` rather than acted on as `{}`.
 */
class AppValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (value === null && metadata.type === 'body') {
      return Promise.reject(
        new DomainError('invalid', CommonErrorCode.VALIDATION_FAILED, '请求体必须是 JSON 对象', {
          errors: [{ field: 'body', code: 'isObject', message: 'the body must be a JSON object' }],
        }),
      );
    }
    return super.transform(value, metadata);
  }
}

/** The global pipe: strips nothing silently — unknown fields are an error, as are bad types. */
export function createValidationPipe(): ValidationPipe {
  memoizeValidationMetadata();
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const problems = flatten(errors);
      const fieldSet = [...new Set(problems.map((p) => p.field))];
      const fields =
        fieldSet.slice(0, MAX_LISTED_ERRORS).join(', ') +
        (fieldSet.length > MAX_LISTED_ERRORS ? ` 等 ${fieldSet.length} 个字段` : '');
      // The first errors are enough to fix a request; thousands would only make a huge answer.
      return new DomainError(
        'invalid',
        CommonErrorCode.VALIDATION_FAILED,
        `请求参数有误: ${fields}`,
        problems.length > MAX_LISTED_ERRORS
          ? { errors: problems.slice(0, MAX_LISTED_ERRORS), errorCount: problems.length }
          : { errors: problems },
      );
    },
  });
}
