import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CommonErrorCode } from '../errors/domain-error.js';
import { toProblem } from '../errors/problem.filter.js';

/**
 * How complex a request body may be. JSON.parse itself is cheap, but what follows is not:
 * class-transformer dedupes an object's keys in quadratic time (100,000 unknown keys held the
 * event loop for 16–20 s), and the recursive transform and validation overflow the stack on a
 * few thousand nested arrays. The largest legitimate body — an inspection with 100 problems,
 * each with its photos — has about 2,500 members and a depth below 6.
 */
export const BODY_SHAPE_LIMITS = { maxMembers: 5_000, maxDepth: 32 } as const;

export type BodyShapeVerdict = 'ok' | 'too_many_members' | 'too_deep';

/**
 * Counts object keys and array elements (members) and the nesting depth of a parsed JSON value,
 * without recursion (the value itself may be deeper than the stack), stopping at the first limit.
 */
export function checkBodyShape(
  value: unknown,
  limits: { maxMembers: number; maxDepth: number } = BODY_SHAPE_LIMITS,
): BodyShapeVerdict {
  if (value === null || typeof value !== 'object') return 'ok';
  const stack: { node: object; depth: number }[] = [{ node: value, depth: 1 }];
  let members = 0;
  while (stack.length) {
    const { node, depth } = stack.pop() as { node: object; depth: number };
    if (depth > limits.maxDepth) return 'too_deep';
    const children: unknown[] = Array.isArray(node) ? node : Object.values(node);
    members += children.length;
    if (members > limits.maxMembers) return 'too_many_members';
    for (const child of children) {
      if (child !== null && typeof child === 'object')
        stack.push({ node: child, depth: depth + 1 });
    }
  }
  return 'ok';
}

const MESSAGES: Record<Exclude<BodyShapeVerdict, 'ok'>, string> = {
  too_many_members: `请求体过于复杂：字段与数组元素合计不能超过 ${BODY_SHAPE_LIMITS.maxMembers} 个`,
  too_deep: `请求体过于复杂：嵌套不能超过 ${BODY_SHAPE_LIMITS.maxDepth} 层`,
};

/**
 * Refuses over-complex JSON bodies (and query strings) on every route before Nest transforms or
 * validates them: 400 `BODY_TOO_COMPLEX`. Register before the routes are (before `app.init()`).
 */
export function registerBodyShapeGuard(fastify: FastifyInstance): void {
  // A callback hook, not an async one: no promise per request (speed, issue 15).
  fastify.addHook('preValidation', (request: FastifyRequest, reply: FastifyReply, done) => {
    let verdict = checkBodyShape(request.body);
    if (verdict === 'ok') verdict = checkBodyShape(request.query);
    if (verdict === 'ok') return done();
    void reply
      .status(400)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(
        toProblem(
          {
            status: 400,
            code: CommonErrorCode.BODY_TOO_COMPLEX,
            detail: MESSAGES[verdict],
            extra: { limits: BODY_SHAPE_LIMITS },
          },
          request,
        ),
      );
  });
}
