import { UsageError } from './errors.js';

/** The accepted --timeout range: above a day is a typo, and Node timers wrap past 2^31-1 ms (1e12 s became 1 ms). */
export const MAX_TIMEOUT_S = 86_400;

/** `--timeout SECONDS`: a plain decimal number in (0, 86400]; `-5`, `1e12`, `abc`, `0x10` are refused with the range. */
export function parseTimeout(value: string, flag = '--timeout'): number {
  const s = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(s > 0) || s > MAX_TIMEOUT_S)
    throw new UsageError(`${flag} takes a number of seconds greater than 0 and at most ${MAX_TIMEOUT_S}, not "${value}"`);
  return s;
}

/** A whole-number option (`--forks N`): plain digits within [min, max]; `-1`, `1e3`, `0x10`, `2.5` are refused with the range. */
export function parseWholeNumber(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max)
    throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, not "${value}"`);
  return n;
}
