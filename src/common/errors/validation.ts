import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { CommonErrorCode, DomainError, type FieldProblem } from './domain-error.js';

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

/** The global pipe: strips nothing silently — unknown fields are an error, as are bad types. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
