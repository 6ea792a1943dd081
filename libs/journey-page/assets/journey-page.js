// The journey page's only script: keeps the live part up to date (server-sent events
// carry the re-rendered HTML) and lets the keyboard walk the span list, outlining the
// focused span and its arrows in the picture. No framework, no build step.
const live = document.getElementById('live');
const liveState = document.getElementById('live-state');
const liveStatus = document.getElementById('live-status');

function rows() {
  return Array.from(document.querySelectorAll('tr[data-row-key]'));
}

/** Focuses a span's row (roving tabindex) and outlines the span and its arrows in the picture. */
function focusRow(row) {
  if (!row) return;
  for (const other of rows()) other.tabIndex = other === row ? 0 : -1;
  row.focus();
  highlight(row.dataset.rowKey);
}

function highlight(key) {
  for (const element of document.querySelectorAll('.focused')) element.classList.remove('focused');
  if (!key) return;
  const row = document.querySelector(`tr[data-row-key="${key}"]`);
  if (row) row.classList.add('focused');
  for (const element of document.querySelectorAll(`[data-span-key="${key}"], [data-tail="${key}"], [data-head="${key}"]`)) element.classList.add('focused');
}

document.addEventListener('keydown', (event) => {
  const row = event.target.closest && event.target.closest('tr[data-row-key]');
  if (!row) return;
  const all = rows();
  const at = all.indexOf(row);
  const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: all.length - 1 }[event.key];
  if (next === undefined || !all[next]) return;
  event.preventDefault();
  focusRow(all[next]);
});

document.addEventListener('focusin', (event) => {
  const row = event.target.closest && event.target.closest('tr[data-row-key]');
  if (row) highlight(row.dataset.rowKey);
});

document.addEventListener('click', (event) => {
  const bar = event.target.closest && event.target.closest('[data-span-key]');
  if (bar) return focusRow(document.querySelector(`tr[data-row-key="${bar.dataset.spanKey}"]`));
  const jump = event.target.closest && event.target.closest('a[href^="#row-"]');
  if (jump) {
    event.preventDefault();
    focusRow(document.getElementById(jump.getAttribute('href').slice(1)));
  }
});

if (live && live.dataset.stream && 'EventSource' in window) {
  const url = new URL(live.dataset.stream, location.href);
  url.searchParams.set('since', live.dataset.version || '');
  const events = new EventSource(url);
  events.addEventListener('update', (event) => {
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.rowKey : undefined;
    live.innerHTML = event.data;
    live.dataset.version = event.lastEventId;
    if (focused) focusRow(document.querySelector(`tr[data-row-key="${focused}"]`));
    if (liveStatus) liveStatus.textContent = `Updated at ${new Date().toLocaleTimeString()}`;
  });
  events.addEventListener('open', () => liveState && (liveState.textContent = 'live', liveState.classList.remove('offline')));
  events.addEventListener('error', () => liveState && (liveState.textContent = 'reconnecting…', liveState.classList.add('offline')));
}
