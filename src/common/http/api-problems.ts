import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ProblemDto } from '../errors/problem.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED with per-field `errors`, MALFORMED_JSON …)',
  401: 'Missing, invalid or expired credentials',
  403: 'Signed in, but the role may not do this',
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with the current state or version',
  413: 'Body or upload too large',
  415: 'Unsupported media type',
  422: 'Well-formed but breaks a rule',
  429: 'Too many requests',
  503: 'A dependency is unavailable',
};

/** Documents the problem+json responses a route can give. */
export const ApiProblems = (...statuses: number[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        type: ProblemDto,
      }),
    ),
  );
