// compose YAML, .env, Dockerfile. Compose alias bombs are a known defect fixed by the defects helper
// (issue 13, "compose alias bombs are expanded"): the garbage generator does not build them.
import fc from 'fast-check';
import { parseComposeFile } from '../../src/collect/parse/compose-file.js';
import { parseDotenv } from '../../src/collect/parse/compose-interpolate.js';
import { parseDockerfile } from '../../src/collect/parse/dockerfile.js';
import { fileOf, ident, word, type FuzzTarget } from './harness.js';

const svc = fc
  .tuple(
    ident,
    fc.constantFrom('nginx:1.25', 'postgres:15', '${IMAGE:-redis}:7', 'app'),
    fc.array(
      fc.constantFrom(
        '    privileged: true',
        '    user: "1000:1000"',
        '    network_mode: host',
        '    ports:\n      - "127.0.0.1:8080:80"\n      - 5432:5432',
        '    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n      - ./data:/data',
        '    cap_add: [NET_ADMIN, SYS_ADMIN]',
        '    environment:\n      - A=b\n      - PASS=${SECRET}',
        '    env_file: .env',
        '    read_only: true',
        '    extends:\n      service: base',
        '    security_opt:\n      - no-new-privileges:true',
      ),
      { maxLength: 5 },
    ),
  )
  .map(([n, img, lines]) => `  ${n}:\n    image: ${img}\n${lines.join('\n')}`);
export const compose: FuzzTarget = {
  name: 'compose YAML',
  parse: (t) => parseComposeFile(String(t), '/srv/app/compose.yaml', { SECRET: 'x', IMAGE: 'nginx' }),
  valid: fc
    .tuple(
      fc.constantFrom('', 'version: "3.8"\n', 'name: demo\n'),
      fc.array(svc, { minLength: 1, maxLength: 4 }),
      fc.constantFrom('', 'x-common: &c\n  restart: always\n'),
    )
    .map(([h, s, x]) => `${h}${x}services:\n${s.join('\n')}\n`),
  knownDefects: ['alias bombs (billion laughs) are expanded: defects helper, issue 13'],
};

export const dotenv: FuzzTarget = {
  name: 'compose .env',
  parse: (t) => parseDotenv(String(t)),
  valid: fileOf(
    fc
      .tuple(
        fc.constantFrom('', 'export '),
        ident.map((s) => s.toUpperCase()),
        fc.oneof(
          word,
          word.map((w) => `"${w} x"`),
          word.map((w) => `'${w}'`),
          fc.constant(''),
        ),
      )
      .map(([e, k, v]) => `${e}${k}=${v}`),
  ),
  facts: (p) => (p as ReturnType<typeof parseDotenv>).values,
  print: (p) =>
    Object.entries((p as ReturnType<typeof parseDotenv>).values)
      .map(([k, v]) => `${k}='${v}'`)
      .join('\n') + '\n',
};

const dfLine = fc.constantFrom(
  'RUN apt-get update && \\\n    apt-get install -y curl',
  'USER app',
  'USER 1000:1000',
  'USER ${UID}',
  'ARG UID=1000',
  'ENV A=b C="d e"',
  'COPY --chown=app . /app',
  'EXPOSE 8080',
  'HEALTHCHECK CMD curl -f http://localhost/',
  'ENTRYPOINT ["/app"]',
  'WORKDIR /app',
  '# syntax=docker/dockerfile:1',
  'FROM alpine AS build',
  'run echo lower',
);
export const dockerfile: FuzzTarget = {
  name: 'Dockerfile',
  parse: (t) => parseDockerfile(String(t)),
  valid: fc
    .tuple(
      fc.constantFrom('FROM debian:12', 'FROM --platform=linux/amd64 node:20 AS base', 'ARG BASE=debian\nFROM ${BASE}'),
      fileOf(dfLine),
    )
    .map(([f, r]) => `${f}\n${r}`),
};
