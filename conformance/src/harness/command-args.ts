// Reading a command's arguments: anything missing or of the wrong type is the runner's (or a
// third party's) mistake, reported as a DriverError answer instead of a crash.
import type { JsonObject } from '@pluresdb-ipc/protocol';
import { type Command, DRIVER_ERROR } from './driver-protocol.ts';

/** A command the driver cannot interpret; answered with code {@link DRIVER_ERROR}. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  readonly code = DRIVER_ERROR;
}

/** A required string argument. */
export function stringArg(command: Command, name: string): string {
  const value = command[name];
  if (typeof value !== 'string')
    throw new CommandError(`${command.op}: "${name}" must be a string`);
  return value;
}

/** An optional string argument. */
export function optionalString(command: Command, name: string): string | undefined {
  return command[name] === undefined ? undefined : stringArg(command, name);
}

/** A required non-negative integer argument. */
export function integerArg(command: Command, name: string): number {
  const value = command[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new CommandError(`${command.op}: "${name}" must be a non-negative integer`);
  return value;
}

/** An optional integer argument (any sign: the client judges it). */
export function optionalInteger(command: Command, name: string): number | undefined {
  const value = command[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new CommandError(`${command.op}: "${name}" must be an integer`);
  return value;
}

/** An optional boolean flag (absent is false). */
export function flagArg(command: Command, name: string): boolean {
  const value = command[name];
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    throw new CommandError(`${command.op}: "${name}" must be a boolean`);
  return value;
}

/** A required JSON object argument. */
export function objectArg(command: Command, name: string): JsonObject {
  const value = command[name];
  if (!isObject(value)) throw new CommandError(`${command.op}: "${name}" must be an object`);
  return value as JsonObject;
}

/** A required array argument. */
export function arrayArg(command: Command, name: string): unknown[] {
  const value = command[name];
  if (!Array.isArray(value)) throw new CommandError(`${command.op}: "${name}" must be an array`);
  return value;
}

/** True for a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
