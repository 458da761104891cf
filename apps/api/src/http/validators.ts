import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isLocalDate } from '@coord/domain';

export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isLocalDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: { validate: (v: unknown) => isLocalDate(v) },
    });
}

const AGENCY_CODE = /^[a-z][a-z0-9-]{1,63}$/;

/** Format only; whether the agency is a member of the group is a business rule checked by the service. */
export function IsAgencyCode(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAgencyCode',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: { validate: (v: unknown) => typeof v === 'string' && AGENCY_CODE.test(v) },
    });
}

/** Money in fen: a positive integer within the JS safe range (no floats, no strings). */
export function IsSafeInteger(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isSafeInteger',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: { validate: (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) },
    });
}
