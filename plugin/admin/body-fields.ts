/**
 * Field checks for admin request bodies (zod stays in plugin/config/). Each failure names the
 * field, so a 400 tells the caller exactly what to fix.
 */
import { badRequest } from './http-io.js';

export type JsonObject = Readonly<Record<string, unknown>>;

/** The body as an object; an empty body counts as `{}` when `optional`. */
export function objectBody(value: unknown, optional = false): JsonObject {
  if (value === undefined && optional) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('body', 'expected a JSON object');
  return value as JsonObject;
}

/** Rejects keys the route does not know (typos should not be silently ignored). */
export function onlyKeys(body: JsonObject, allowed: readonly string[]): void {
  for (const key of Object.keys(body)) if (!allowed.includes(key)) throw badRequest(key, `unknown field (expected ${allowed.join(', ')})`);
}

export function requiredString(body: JsonObject, field: string, max = 2000): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '') throw badRequest(field, 'expected a non-empty string');
  if (value.length > max) throw badRequest(field, `longer than ${max} characters`);
  return value;
}

/** `undefined` when absent; `null` allowed when `nullable`. */
export function optionalString(body: JsonObject, field: string, nullable: boolean, max = 2000): string | null | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (value === null && nullable) return null;
  if (typeof value !== 'string') throw badRequest(field, nullable ? 'expected a string or null' : 'expected a string');
  if (value.length > max) throw badRequest(field, `longer than ${max} characters`);
  return value;
}

export function optionalBoolean(body: JsonObject, field: string, nullable: boolean): boolean | null | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (value === null && nullable) return null;
  if (typeof value !== 'boolean') throw badRequest(field, nullable ? 'expected true, false or null' : 'expected true or false');
  return value;
}

export function optionalObject(body: JsonObject, field: string, nullable: boolean): JsonObject | null | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (value === null && nullable) return null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest(field, nullable ? 'expected an object or null' : 'expected an object');
  return value as JsonObject;
}

export function optionalStringArray(body: JsonObject, field: string): readonly string[] | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw badRequest(field, 'expected an array of strings');
  return value;
}

export function optionalEnum<T extends string>(body: JsonObject, field: string, values: readonly T[], nullable: boolean): T | null | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (value === null && nullable) return null;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) throw badRequest(field, `expected one of ${values.join(', ')}${nullable ? ' or null' : ''}`);
  return value as T;
}
