/** A mode as four octal digits (setuid/setgid/sticky included), as find -printf %m shows it. */
export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}
