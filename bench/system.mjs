// Machine facts and tool versions for the record.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';

function firstLine(argv) {
  try {
    const out = execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    return (
      out
        .split('\n')
        .find((l) => l.trim() !== '')
        ?.trim() ?? null
    );
  } catch (e) {
    const out = `${e.stdout ?? ''}${e.stderr ?? ''}`.split('\n').find((l) => l.trim() !== '');
    return out ? out.trim() : null;
  }
}

function readTrim(path) {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

export function loadAverage() {
  return loadavg().map((x) => Math.round(x * 100) / 100);
}

export function machineFacts(repoDir) {
  const osRelease = readTrim('/etc/os-release') ?? '';
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(osRelease)?.[1] ?? null;
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? null,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    kernel: release(),
    os: pretty,
    debianVersion: readTrim('/etc/debian_version'),
    dockerenv: (() => {
      try {
        readFileSync('/.dockerenv');
        return true;
      } catch (e) {
        return e.code !== 'ENOENT';
      }
    })(),
    versions: {
      node: process.version,
      lynis: firstLine(['lynis', '--version']),
      oscap: firstLine(['oscap', '--version']),
      apt: firstLine(['apt-get', '--version']),
      find: firstLine(['find', '--version']),
      // GNU time prints "UNKNOWN" as its version: take the package's
      time: firstLine(['dpkg-query', '-W', '-f', 'time ${Version}', 'time']),
    },
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
    // read-only: which commit the working tree is based on (the tree may hold uncommitted work)
    commit: firstLine(['git', '-C', repoDir, 'rev-parse', '--short', 'HEAD']),
  };
}
