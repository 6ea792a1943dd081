import type { RecentOrder } from './recent-orders.js';
import { markup, type Markup } from './markup.js';

/** The live part of the recent orders page. */
export function renderRecentOrders(orders: readonly RecentOrder[], problem?: string): Markup {
  return markup`<h1>Recent orders</h1>
${problem ? markup`<p class="problem" role="alert">${problem}</p>` : ''}
<p class="hint">The newest orders placed through order-api within the last day, newest first. ✔: every check of the trace model holds for the journey; ✘: a check fails (the order's page says which). Open an order to see its journey.</p>
${orders.length === 0 && !problem ? markup`<p class="waiting" role="status">No order in Tempo yet. Place one (<code>npm run demo</code>) and it shows up here a few seconds later.</p>` : ''}
<table class="orders">
<thead><tr><th scope="col">placed (UTC)</th><th scope="col">order</th><th scope="col">latest status</th><th scope="col">traces</th><th scope="col">journey</th></tr></thead>
<tbody>${orders.map(row)}</tbody></table>`;
}

function row({ traceId, view, placedAtNanos }: RecentOrder): Markup {
  if (!view) return markup`<tr data-order-id=""><td></td><td><a href="/journeys/${traceId}"><code>${traceId}</code></a></td><td></td><td></td><td><span class="muted">checking…</span></td></tr>`;
  const orderId = view.journey?.orderId;
  const failed = view.checks.filter((check) => !check.ok).length;
  const verdict = view.error
    ? markup`<span class="muted">${view.error}</span>`
    : !view.journey
      ? markup`<span class="muted">not in Tempo yet</span>`
      : failed === 0
        ? markup`<span class="verdict ok" data-verdict="ok">✔ ${view.checks.length} checks hold</span>`
        : markup`<span class="verdict broken" data-verdict="broken">✘ ${failed} of ${view.checks.length} fail</span>`;
  const placed = placedAtNanos > 0n ? new Date(Number(placedAtNanos / 1_000_000n)).toISOString().slice(11, 19) : '';
  const target = orderId ?? traceId;
  return markup`<tr data-order-id="${orderId ?? ''}"><td>${placed}</td><td><a href="/journeys/${target}"><code>${target}</code></a></td><td>${view.status ?? markup`<span class="muted">unknown</span>`}</td><td>${view.layout?.lanes.length ?? ''}</td><td>${verdict}</td></tr>`;
}
