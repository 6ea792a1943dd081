// The journey page's HTTP server (Hono on Node): the recent orders, one page per journey,
// each kept live by a server-sent event stream that pushes the re-rendered content when
// it changed, and two static assets. Everything is rendered on the server; the browser
// script only swaps content in and handles the keyboard.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { ConfigError } from '@mqtrace/config';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { JourneySource, parseJourneyId } from './journey-source.js';
import { markup, type Markup } from './markup.js';
import { pageShell } from './page-shell.js';
import { RecentOrders } from './recent-orders.js';
import { renderJourney } from './render-journey.js';
import { renderRecentOrders } from './render-list.js';
import type { JourneyPageSettings } from './settings.js';

/** Options of {@link journeyPageApp}. */
export interface JourneyPageOptions extends Omit<JourneyPageSettings, 'host' | 'port'> {
  /** How often a live page looks for changes; default 2 s. */
  readonly pollMs?: number;
  /** How long one stream lives before the browser reconnects; default 10 minutes. */
  readonly streamMs?: number;
}

const ASSETS = new URL('../assets/', import.meta.url);
const asset = (name: string) => readFileSync(new URL(name, ASSETS), 'utf8');
const DEFAULT_LIMIT = 20;

/** The page as a Hono app (`app.fetch` answers a `Request`), for serving or for tests. */
export function journeyPageApp(options: JourneyPageOptions): Hono {
  const { pollMs = 2_000, streamMs = 600_000 } = options;
  const source = new JourneySource(options.tempoUrl, options.orderApiUrl);
  const recent = new RecentOrders(source);
  const styles = asset('journey-page.css');
  const script = asset('journey-page.js');

  const journeyContent = async (start: { orderId: string } | { traceId: string }) => {
    const view = await source.view(start);
    return { view, content: renderJourney(view, options) };
  };
  const listContent = async (limit: number) => {
    try {
      return renderRecentOrders(await recent.list(limit));
    } catch (error) {
      return renderRecentOrders([], `Tempo could not be asked: ${(error as Error).message}`);
    }
  };

  const app = new Hono();
  app.get('/', (c) => c.redirect('/journeys'));
  app.get('/assets/journey-page.css', (c) => c.body(styles, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }));
  app.get('/assets/journey-page.js', (c) => c.body(script, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }));

  app.get('/journeys', async (c) => {
    const limit = parseLimit(c.req.query('limit'));
    if (limit === undefined) return problemPage(c, 400, 'Bad limit', `limit must be a whole number from 1 to 100, got ${JSON.stringify(c.req.query('limit'))}.`);
    const content = await listContent(limit);
    return c.html(pageShell({ title: 'Recent orders: journeys', stream: `/journeys/events?limit=${limit}`, version: versionOf(content), content }));
  });
  app.get('/journeys/events', (c) => {
    const limit = parseLimit(c.req.query('limit')) ?? DEFAULT_LIMIT;
    return liveStream(c, () => listContent(limit), { pollMs, streamMs });
  });

  app.get('/journeys/:id', async (c) => {
    const start = parseJourneyId(c.req.param('id'));
    if (!start) return problemPage(c, 400, 'Not an order id', `"${c.req.param('id')}" is neither an order id (a UUID, as POST /orders returns it) nor a trace id (32 hex digits).`);
    const id = 'orderId' in start ? start.orderId : start.traceId;
    const { view, content } = await journeyContent(start);
    const status = view.error ? 502 : view.journey ? 200 : 404;
    return c.html(pageShell({ title: `Journey of ${id}`, stream: `/journeys/${id}/events`, version: versionOf(content), content }), status);
  });
  app.get('/journeys/:id/events', (c) => {
    const start = parseJourneyId(c.req.param('id'));
    if (!start) return c.text('neither an order id nor a trace id', 400);
    return liveStream(c, async () => (await journeyContent(start)).content, { pollMs, streamMs });
  });

  app.notFound((c) => problemPage(c, 404, 'Not found', `Nothing is served at ${c.req.path}. The journeys are at /journeys.`));
  return app;
}

/** A running journey page. */
export interface RunningJourneyPage {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the page on `host:port`; resolves once it listens. */
export async function serveJourneyPage(settings: JourneyPageSettings & Pick<JourneyPageOptions, 'pollMs' | 'streamMs'>): Promise<RunningJourneyPage> {
  const app = journeyPageApp(settings);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: settings.host, port: settings.port }, (info) => {
      resolve({
        url: `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            // Open event streams would hold close() forever.
            if ('closeAllConnections' in server) server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
    server.once('error', reject);
  });
}

/**
 * Why the page could not start, in words for a user, when the cause is theirs to fix (a
 * bad setting, a port in use); undefined for anything else, which should be thrown on.
 */
export function journeyPageStartProblem(error: unknown): string | undefined {
  if (error instanceof ConfigError) return error.message;
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE') return `${(error as Error).message} (another program has the port; set JOURNEY_PAGE_PORT)`;
  return undefined;
}

/**
 * Pushes `render()` to the browser whenever it changed (each push carries its version as
 * the event id, so a reconnecting browser is not sent what it has), until the stream's
 * lifetime is over; the browser then reconnects by itself.
 */
function liveStream(c: Context, render: () => Promise<Markup>, { pollMs, streamMs }: { pollMs: number; streamMs: number }): Response {
  let shown = c.req.header('last-event-id') ?? c.req.query('since') ?? '';
  return streamSSE(c, async (stream) => {
    const until = Date.now() + streamMs;
    while (!stream.aborted && Date.now() < until) {
      const content = (await render()).toString();
      const version = versionOf(content);
      if (version !== shown) {
        await stream.writeSSE({ event: 'update', id: version, data: content });
        shown = version;
      }
      await stream.sleep(pollMs);
    }
  });
}

function problemPage(c: Context, status: 400 | 404, title: string, text: string): Response | Promise<Response> {
  const content = markup`<h1>${title}</h1><p class="problem" role="alert">${text}</p><p><a href="/journeys">Recent orders</a></p>`;
  return c.html(pageShell({ title, stream: '', version: '', content }), status);
}

function parseLimit(raw: string | undefined): number | undefined {
  if (raw === undefined) return DEFAULT_LIMIT;
  const value = Number(raw);
  return /^\d{1,3}$/.test(raw) && value >= 1 && value <= 100 ? value : undefined;
}

const versionOf = (content: Markup | string): string => createHash('sha1').update(content.toString()).digest('hex').slice(0, 16);
