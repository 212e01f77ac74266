import type { Source } from '../../facts/evidence.js';

export interface OssecManager {
  address: string;
  port: string | null;
  protocol: string | null;
  source: Source;
}

export interface ParsedOssecConf {
  managers: OssecManager[];
  /** Placeholders the packages ship (wazuh-agent writes MANAGER_IP, etc/ossec-agent.conf has IP): not an address. */
  placeholders: OssecManager[];
  errors: { message: string; line: number }[];
}

/** Values the upstream templates carry until an installer fills them in; wazuh-agentd refuses them (error 4112). */
const PLACEHOLDERS = new Set(['IP', 'MANAGER_IP', '']);

const lineAt = (text: string, index: number) => {
  let n = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
};

const decode = (s: string) =>
  s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (m, e: string) => {
    const map: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return map[e.toLowerCase()] ?? m;
  });

/**
 * The manager addresses of an OSSEC/Wazuh ossec.conf. The file is not one XML document (it may hold
 * several <ossec_config> blocks, as Wazuh's own config does after upgrades), so it is read as a
 * stream of tags: comments, CDATA and processing instructions skipped, the element path tracked.
 * Wazuh 3+: <client><server><address>, <port>, <protocol>; OSSEC 2.x / Wazuh legacy:
 * <client><server-ip>, <server-hostname> with <port>/<protocol> under <client>.
 */
export function parseOssecConf(text: string, path: string): ParsedOssecConf {
  const managers: OssecManager[] = [];
  const placeholders: OssecManager[] = [];
  const errors: ParsedOssecConf['errors'] = [];
  const stack: string[] = [];
  let server: { address: string | null; line: number; port: string | null; protocol: string | null } | null = null;
  let client: { legacy: { address: string; line: number }[]; port: string | null; protocol: string | null } | null = null;
  let textStart = 0;
  const re =
    /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<\?[\s\S]*?(?:\?>|$)|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|</g;
  const push = (m: OssecManager) => (PLACEHOLDERS.has(m.address) ? placeholders : managers).push(m);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const inner = decode(text.slice(textStart, m.index)).trim();
    textStart = re.lastIndex;
    const tok = m[0];
    if (tok.startsWith('<!--') && !tok.endsWith('-->')) errors.push({ message: 'unterminated comment', line: lineAt(text, m.index) });
    if (m[2] === undefined) {
      if (tok === '<') errors.push({ message: 'stray "<"', line: lineAt(text, m.index) });
      continue;
    }
    const name = m[2];
    const closing = m[1] === '/';
    const selfClosing = m[4] === '/';
    if (!closing) {
      if (selfClosing) continue;
      stack.push(name);
      const p = stack.join('/');
      if (/(^|\/)client$/.test(p)) client = { legacy: [], port: null, protocol: null };
      if (/(^|\/)client\/server$/.test(p)) server = { address: null, line: lineAt(text, m.index), port: null, protocol: null };
      continue;
    }
    const top = stack[stack.length - 1];
    if (top !== name) {
      errors.push({ message: `</${name}> closes <${top ?? '(nothing)'}>`, line: lineAt(text, m.index) });
      const at = stack.lastIndexOf(name);
      if (at < 0) continue;
      stack.length = at + 1;
    }
    const p = stack.join('/');
    const line = lineAt(text, m.index);
    if (server && /client\/server\/address$/.test(p)) Object.assign(server, { address: inner, line });
    else if (server && /client\/server\/port$/.test(p)) server.port = inner;
    else if (server && /client\/server\/protocol$/.test(p)) server.protocol = inner;
    else if (client && /client\/(server-ip|server-hostname)$/.test(p)) client.legacy.push({ address: inner, line });
    else if (client && /client\/port$/.test(p)) client.port = inner;
    else if (client && /client\/protocol$/.test(p)) client.protocol = inner;
    else if (server && /client\/server$/.test(p)) {
      if (server.address !== null)
        push({
          address: server.address,
          port: server.port,
          protocol: server.protocol,
          source: { path, line: server.line, excerpt: `<address>${server.address}</address>` },
        });
      server = null;
    } else if (client && /(^|\/)client$/.test(p)) {
      for (const l of client.legacy)
        push({ address: l.address, port: client.port, protocol: client.protocol, source: { path, line: l.line, excerpt: l.address } });
      client = null;
    }
    stack.pop();
  }
  if (stack.length > 0) errors.push({ message: `unclosed <${stack.join('><')}> at end of file`, line: lineAt(text, text.length) });
  return { managers, placeholders, errors };
}
