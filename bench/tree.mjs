// A large file tree for the world-writable scan, created in-process (no process per file).
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * Creates `files` empty regular files under a new directory in `parent`, spread over
 * top/mid/leaf directories (≤ 500 files per directory), plus planted entries:
 *  - WW_FILES world-writable regular files (findings),
 *  - WW_DIRS world-writable directories without the sticky bit (findings),
 *  - STICKY_DIRS world-writable directories with the sticky bit (like /tmp: not findings for Rampart,
 *    but matched by find -perm -0002),
 *  - one symlink (always lrwxrwxrwx; excluded by find's ! -type l and not a finding).
 * Returns { root, files, dirs, expect: { findPaths, rampartFindings }, seconds }.
 */
export function createTree(parent, files) {
  const root = mkdtempSync(join(parent, 'rampart-bench-tree-'));
  try {
    return fill(root, files);
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
}

function fill(root, files) {
  const t0 = performance.now();
  chmodSync(root, 0o755);
  const perLeaf = 500;
  const leaves = Math.max(1, Math.ceil(files / perLeaf));
  const perMid = 20;
  const leafDir = (leaf) =>
    join(root, `t${String(Math.floor(leaf / perMid)).padStart(4, '0')}`, `m${String(leaf % perMid).padStart(2, '0')}`);
  let made = 0;
  let dirs = 1;
  for (let leaf = 0; leaf < leaves; leaf++) {
    const dir = leafDir(leaf);
    if (leaf % perMid === 0) {
      mkdirSync(dirname(dir), { mode: 0o755 });
      dirs++;
    }
    mkdirSync(dir, { mode: 0o755 });
    dirs++;
    const n = Math.min(perLeaf, files - made);
    for (let i = 0; i < n; i++) closeSync(openSync(join(dir, `f${i}.dat`), 'w', 0o644));
    made += n;
  }
  const planted = leafDir(0);
  const WW_FILES = 5;
  const WW_DIRS = 3;
  const STICKY_DIRS = 2;
  for (let i = 0; i < WW_FILES; i++) {
    // spread over the tree, so a scan that stops early or skips a subtree misses some
    const p = join(leafDir(Math.floor(((i + 0.5) * leaves) / WW_FILES)), `world-writable-${i}.txt`);
    closeSync(openSync(p, 'w'));
    chmodSync(p, i % 2 ? 0o666 : 0o777);
  }
  for (let i = 0; i < WW_DIRS; i++) {
    const p = join(planted, `ww-dir-${i}`);
    mkdirSync(p);
    chmodSync(p, 0o777);
    dirs++;
  }
  for (let i = 0; i < STICKY_DIRS; i++) {
    const p = join(planted, `sticky-dir-${i}`);
    mkdirSync(p);
    chmodSync(p, 0o1777);
    dirs++;
  }
  symlinkSync('f0.dat', join(planted, 'link-to-f0'));
  return {
    root,
    files: made + WW_FILES,
    dirs,
    expect: { findPaths: WW_FILES + WW_DIRS + STICKY_DIRS, rampartFindings: WW_FILES + WW_DIRS },
    seconds: (performance.now() - t0) / 1000,
  };
}

export function removeTree(root) {
  const t0 = performance.now();
  rmSync(root, { recursive: true, force: true });
  return (performance.now() - t0) / 1000;
}
