import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { runScript } from './scripts.js';

/** Where browser tests leave their screenshots (a CI artefact; ignored by git). */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../test-output/screenshots/', import.meta.url));

/**
 * Starts Debian's Chromium headless through playwright-core (which cannot download a
 * browser here): provisioned by infra/scripts/provision-chromium.sh. Playwright gives it a
 * fresh profile; the background networking that a closed network refuses is turned off.
 */
export async function launchBrowser(): Promise<Browser> {
  const provisioned = await runScript('provision-chromium.sh');
  if (provisioned.code !== 0) throw new Error(`provision-chromium.sh failed:\n${provisioned.stderr}`);
  const executablePath = provisioned.stdout.trim();
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return browser;
}
