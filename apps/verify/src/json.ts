import type { VerifyReport } from './verify.js';

/** The report in plain JSON: times as strings of nanoseconds (JSON has no 64-bit integers). */
export function toJson(report: VerifyReport): unknown {
  return JSON.parse(JSON.stringify({ ok: report.outcome === 'ok', ...report }, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value instanceof Map ? Object.fromEntries(value) : value)));
}
