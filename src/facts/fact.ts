/**
 * A fact is collected (with its value), absent (the component is not there) or failed
 * (it could not be determined: permission, timeout, parse error, unsupported offline).
 * Never a bare undefined.
 */
export type Fact<T> = { state: 'collected'; value: T } | { state: 'absent'; reason: string } | { state: 'failed'; reason: string };

export const collected = <T>(value: T): Fact<T> => ({ state: 'collected', value });
export const absent = <T = never>(reason: string): Fact<T> => ({ state: 'absent', reason });
export const failed = <T = never>(reason: string): Fact<T> => ({ state: 'failed', reason });
