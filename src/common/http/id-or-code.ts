import { registerDecorator, type ValidationOptions } from 'class-validator';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What a unit, category or site code may be (see the Create DTOs): never a UUID. */
const CODE = /^[A-Za-z0-9_-]{1,32}$/;

export const isUuid = (value: string): boolean => UUID.test(value);

/**
 * A reference to a unit, a category or a site by its id or by its code (`HJ07`, `DXF`): units' own
 * systems know the codes, not our UUIDs. Which one it is shows from the form (a code is never a
 * UUID); the service resolves a code and answers an unknown one as it answers an unknown id.
 */
export function IsIdOrCode(options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name: 'isIdOrCode',
      target: target.constructor,
      propertyName: String(key),
      options: { message: `$property must be a UUID or a code (A-Z a-z 0-9 _ -)`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && (UUID.test(value) || CODE.test(value)),
      },
    });
}

/** The WHERE condition for `column` referring to a row of `table` by id or code. */
export function idOrCodeCondition(
  column: string,
  table: 'units' | 'categories' | 'sites',
  value: string,
): string {
  return isUuid(value)
    ? `${column} = ?`
    : `${column} = (SELECT x.id FROM ${table} x WHERE x.code = ?)`;
}
