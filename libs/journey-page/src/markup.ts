import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/** HTML whose interpolated values were escaped (or deliberately `raw`). */
export type Markup = HtmlEscapedString;

/**
 * Hono's `html` tag: every interpolated string is escaped, arrays are joined, nested
 * `Markup` is kept as it is. Typed as synchronous because nothing this page renders
 * awaits (the tag returns a promise only when a value is one).
 */
export const markup = html as (strings: TemplateStringsArray, ...values: unknown[]) => Markup;

export { raw };
