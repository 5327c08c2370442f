import { writeSync } from 'node:fs';
import { CaptureError, type CaptureEnd } from '../dissect/container/types.js';
import { CaptureWriteError } from '../dissect/container/writer.js';
import { LiveError } from '../source/live-errors.js';
import { MemoryLimitError } from './memory-limit.js';

/** Wrong arguments or an input that cannot be read: one line on stderr, exit status 2. */
export class UsageError extends Error {}

/**
 * What writing frame `frame` to `outPath` threw, as the line to fail with: the file cannot
 * hold the frame, or cannot be created or written (a missing directory, a full disk).
 */
export function unwritable(outPath: string, frame: number, error: unknown): unknown {
  if (error instanceof CaptureWriteError) return new UsageError(`${outPath}: frame ${frame}: ${error.message}`);
  return isSystemError(error) ? new UsageError(describeError(outPath, error)) : error;
}

/** An error of a system call (its errno code and the call's name). */
function isSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string; syscall: string } {
  const errno = error as NodeJS.ErrnoException | undefined;
  return typeof errno?.code === 'string' && typeof errno.syscall === 'string';
}

/** One line naming the input and, for damage, the byte offset (the frame, where the heap filled up). */
export function describeError(input: string, error: unknown): string {
  const name = input === '-' ? '<stdin>' : input;
  // A live capture's failure says what to do; the command line already names what failed.
  if (error instanceof LiveError) return error.message;
  if (error instanceof CaptureError) return `${name}: byte ${error.byteOffset}: ${error.message}`;
  if (error instanceof MemoryLimitError) return `${name}: frame ${error.frame}: ${error.message}`;
  if (isSystemError(error)) {
    const reason: Record<string, string> = {
      ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'is a directory', ENOTDIR: 'not a directory',
    };
    return `${name}: ${reason[error.code] ?? error.message}`;
  }
  return `${name}: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * A damaged capture was decoded up to the damage (one too big for the heap, up to where
 * reading stopped); name the damage on stderr.
 * Returns whether there was any (the command then exits 2).
 */
export function reportDamage(
  input: string, result: { readonly error?: CaptureError | LiveError | MemoryLimitError; readonly truncated?: CaptureEnd['truncated'] },
): boolean {
  const cut = result.truncated;
  const damage = result.error ?? (cut === undefined ? undefined
    : new CaptureError(`the capture ends inside a record (${cut.have} of ${cut.need} bytes present); every frame before it was decoded`, cut.offset));
  if (damage === undefined) return false;
  writeSync(2, `vsockscope: ${describeError(input, damage)}\n`);
  return true;
}
