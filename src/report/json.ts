import type { Report } from '../evaluate/report.js';
import { jsonDisplaySafe } from './text.js';

export function renderJson(report: Report): string {
  return `${jsonDisplaySafe(JSON.stringify(report, null, 2))}\n`;
}
