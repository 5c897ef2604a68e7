/** Debian's chromium driven by playwright-core, for the `graph --format html` page tests. */
import { existsSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** Collects what the page must never do: request anything but itself, log an error or warning, throw. */
export function watchPage(page: Page, url: string): { requests: string[]; problems: string[] } {
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (req) => { if (req.url() !== url) requests.push(req.url()); });
  page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return { requests, problems };
}

// Browser globals used inside page.evaluate callbacks (the project compiles without the DOM lib).
export interface DomRect { left: number; right: number; top: number; bottom: number; width: number; height: number }
export interface DomElement {
  getAttribute(name: string): string | null;
  getBoundingClientRect(): DomRect;
  getTotalLength(): number;
  classList: { contains(c: string): boolean };
  querySelector(selector: string): DomElement | null;
}
