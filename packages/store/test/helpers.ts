// Shared test helpers: real stores in real temporary directories, removed after each file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IpcError } from '@pluresdb-ipc/protocol';
import { expect } from 'vitest';
import { openStore, type Store, type StoreOptions } from '../src/index.ts';

const made: string[] = [];

/** A fresh empty directory under the OS temp dir; removed by {@link removeTempDirs}. */
export function tempDir(label = 'store'): string {
  const dir = mkdtempSync(join(tmpdir(), `pluresdb-${label}-`));
  made.push(dir);
  return dir;
}

/** Removes every directory {@link tempDir} made. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Opens a store in a fresh temp dir. */
export function freshStore(options: Partial<StoreOptions> = {}): Promise<Store> {
  return openStore({ path: tempDir(), ...options });
}

/** Asserts that `run` throws (or rejects with) an IpcError carrying `code`. */
export async function expectIpcError(run: () => unknown, code: number): Promise<IpcError> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  expect(IpcError.is(caught), `expected an IpcError, got ${String(caught)}`).toBe(true);
  const error = caught as IpcError;
  expect(error.code, error.message).toBe(code);
  return error;
}

/** UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Text of UTF-8 bytes. */
export function text(bytes: Uint8Array | undefined): string | undefined {
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}
