import { markup, type Markup } from './markup.js';

/**
 * The document around a live part: the stylesheet, the script that keeps the part up
 * to date from `stream` (server-sent events) and the keyboard help, and a status region
 * that tells screen readers when the content changed.
 */
export function pageShell({ title, stream, version, content }: { title: string; stream: string; version: string; content: Markup }): Markup {
  return markup`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/assets/journey-page.css">
<script src="/assets/journey-page.js" defer></script>
</head>
<body>
<header class="top"><a href="/journeys">Recent orders</a><span class="product">Tracing through Kafka: the journey page</span><span id="live-state" class="live-state">live</span></header>
<main id="live" data-stream="${stream}" data-version="${version}">
${content}
</main>
<p id="live-status" class="visually-hidden" role="status" aria-live="polite"></p>
</body>
</html>`;
}
