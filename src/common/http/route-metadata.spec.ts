import { jest } from '@jest/globals';
import { SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RouteMetadata } from './route-metadata.js';

type Target = Parameters<Reflector['getAllAndOverride']>[1][number];

const ROLE = 'test:role';
const PUBLIC = 'test:public';

@SetMetadata(ROLE, 'class-role')
class Controller {
  @SetMetadata(ROLE, 'handler-role')
  withRole(): void {}

  plain(): void {}

  @SetMetadata(PUBLIC, false)
  explicitlyNotPublic(): void {}
}

@SetMetadata(ROLE, 'other-class-role')
class OtherController {}

describe('RouteMetadata', () => {
  const proto = Controller.prototype;
  const cases: [string, Target, Target, string][] = [
    ['the handler overrides the class', proto.withRole, Controller, ROLE],
    ['the class when the handler has none', proto.plain, Controller, ROLE],
    ['none on either', proto.plain, Controller, PUBLIC],
    ['a false on the handler stands', proto.explicitlyNotPublic, Controller, PUBLIC],
    ['the same handler under another class', proto.plain, OtherController, ROLE],
  ];

  it.each(cases)('answers as Nest’s Reflector does: %s', (_case, handler, cls, key) => {
    const memo = new RouteMetadata();
    const expected = new Reflector().getAllAndOverride<unknown>(key, [handler, cls]);
    expect(memo.getAllAndOverride(key, [handler, cls])).toBe(expected);
    expect(memo.getAllAndOverride(key, [handler, cls])).toBe(expected);
  });

  it('reads the metadata of a route once per key, and keeps routes and classes apart', () => {
    const memo = new RouteMetadata();
    const read = jest.spyOn(Reflect, 'getMetadata');
    try {
      for (let i = 0; i < 3; i++) {
        expect(memo.getAllAndOverride(ROLE, [proto.plain, Controller])).toBe('class-role');
        expect(memo.getAllAndOverride(ROLE, [proto.plain, OtherController])).toBe(
          'other-class-role',
        );
        expect(memo.getAllAndOverride(ROLE, [proto.withRole, Controller])).toBe('handler-role');
        expect(memo.getAllAndOverride(PUBLIC, [proto.plain, Controller])).toBeUndefined();
      }
      // First time each: handler then class (2 reads), or the handler alone when it answers.
      const keysRead = read.mock.calls.map((c) => c[0]);
      expect(keysRead.filter((k) => k === ROLE)).toHaveLength(2 + 2 + 1);
      expect(keysRead.filter((k) => k === PUBLIC)).toHaveLength(2);
    } finally {
      read.mockRestore();
    }
  });

  it('asks each time for targets other than a handler and its class', () => {
    const memo = new RouteMetadata();
    const read = jest.spyOn(Reflect, 'getMetadata');
    try {
      memo.getAllAndOverride(ROLE, [proto.plain]);
      memo.getAllAndOverride(ROLE, [proto.plain]);
      memo.getAllAndOverride(ROLE, [proto.plain, Controller, OtherController]);
      memo.getAllAndOverride(ROLE, [proto.plain, Controller, OtherController]);
      expect(read.mock.calls.filter((c) => c[0] === ROLE)).toHaveLength(1 + 1 + 2 + 2);
    } finally {
      read.mockRestore();
    }
  });
});
