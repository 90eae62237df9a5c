import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { CommonErrorCode, DomainError, type FieldProblem } from './domain-error.js';

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
 * Nest reads a missing body as `{}`, and so also a JSON `null`; a body that is there must be an
 * object, so an explicit `null` is refused instead of acting as an empty request.
 */
class ObjectBodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && value === null && metadata.metatype !== Object) {
      throw new DomainError('invalid', CommonErrorCode.VALIDATION_FAILED, '请求体须为 JSON 对象', {
        errors: [{ field: 'body', code: 'isObject', message: 'body must be a JSON object' }],
      });
    }
    return super.transform(value, metadata);
  }
}

/** The global pipe: strips nothing silently — unknown fields are an error, as are bad types. */
export function createValidationPipe(): ValidationPipe {
  return new ObjectBodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const problems = flatten(errors);
      const fields = [...new Set(problems.map((p) => p.field))].join(', ');
      return new DomainError(
        'invalid',
        CommonErrorCode.VALIDATION_FAILED,
        `请求参数有误: ${fields}`,
        { errors: problems },
      );
    },
  });
}
