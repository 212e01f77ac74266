/** Is `path` the directory `dir` or below it (both normal absolute target paths)? */
export function isUnderPath(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(`${dir}/`);
}
