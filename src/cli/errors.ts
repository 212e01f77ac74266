/** Bad arguments or configuration: one line, exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}
/** The target could not be reached or read: exit 3. */
export class TargetError extends Error {
  readonly exitCode = 3;
}
