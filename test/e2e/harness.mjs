// Helpers that drive a real VS Code (code-server, see codeServer.mjs) through Debian's Chromium
// with playwright-core: the workbench, the palette, webviews, the Problems panel.
// What works on a machine without internet access and why is written up in docs/testing.md.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export { freePort, portIsFree, startCodeServer } from './codeServer.mjs';

/** MODELLAB_PYTHON, else the first of python3 and Debian's /usr/bin/python3 that imports torch. */
export function torchPython() {
  const found = [process.env.MODELLAB_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean)
    .find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
  if (!found) throw new Error('No Python with torch: node scripts/system-packages.mjs test installs it, or set MODELLAB_PYTHON.');
  return found;
}

export const CSP_MARKER = 'violates the following Content Security Policy';
// ---------------------------------------------------------------------------
// Browser

export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/lib/chromium/chromium';

/** Headless Debian Chromium; Playwright gives each launch a fresh temporary profile. */
export async function launchBrowser({ headless = !process.env.E2E_HEADED } = {}) {
  // /usr/bin/chromium is a shell wrapper that adds its own flags; use the binary.
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Chromium otherwise still resolves Google hosts on its own.
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    ],
  });
}

// Per-page record of console output and CSP violations (from any frame).
const pageState = new WeakMap();

export class CspViolationError extends Error {}

/**
 * Opens the workbench on `folder` in a fresh browser context and waits until
 * it is usable. Console messages of all frames are collected; a CSP
 * violation makes every helper below fail at once instead of timing out.
 */
export async function openWorkbench(browser, url, folder, { viewport = { width: 1280, height: 800 }, storageState = process.env.E2E_STORAGE_STATE } = {}) {
  // VS Code in a browser keeps its trusted folders in the browser's IndexedDB; run.mjs trusts the
  // scratch workspace once and every test's browser starts from that state (see trustedState).
  const context = await browser.newContext({ viewport, ...(storageState ? { storageState } : {}) });
  const page = await context.newPage();
  const state = { console: [], csp: [], pageErrors: [] };
  pageState.set(page, state);
  // Playwright reports console messages of child frames (webviews included) on the page.
  page.on('console', (msg) => {
    const entry = { type: msg.type(), text: msg.text(), url: msg.location()?.url ?? '' };
    state.console.push(entry);
    if (entry.text.includes(CSP_MARKER)) state.csp.push(entry);
  });
  page.on('pageerror', (err) => state.pageErrors.push(String(err)));

  await page.goto(`${url}/?folder=${encodeURIComponent(path.resolve(folder))}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The explorer lists the folder (assumed not empty) once the workbench has
  // restored its parts and the file service answers; keyboard shortcuts work from then on.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  return page;
}

// ---------------------------------------------------------------------------
// Workspace Trust (the suite runs with it enabled; see codeServer.mjs)

/**
 * Whether the folder is trusted, read from the Workspace Trust editor's own state. A window reads as
 * untrusted until VS Code has resolved its folder, so call this once the state has settled.
 */
export async function workspaceTrusted(page) {
  const editor = await showTrustEditor(page);
  return (await editor.getAttribute('class')).split(/\s+/).includes('trusted');
}

/** Trusts the folder open in `page` the way a user does: Manage Workspace Trust, then Trust. */
export async function trustFolder(page) {
  const editor = await showTrustEditor(page);
  // "Trust", not "Trust Parent": only this folder, so a sibling folder stays untrusted.
  await editor.locator('.monaco-button', { hasText: /^Trust$/ }).first().click();
  await waitUntil(page, async () => (await editor.getAttribute('class')).split(/\s+/).includes('trusted'),
    { timeout: 15_000, message: 'the Workspace Trust editor to say the folder is trusted' });
  // The status bar item "Restricted Mode" goes once the workbench has taken the new state.
  await waitUntil(page, async () => !(await statusBarTexts(page)).includes('Restricted Mode'),
    { timeout: 15_000, message: 'the Restricted Mode status bar item to go' });
}

async function showTrustEditor(page) {
  // The command joins the palette only once VS Code has initialised Workspace Trust for the
  // window (it resolves the folder through the server first), which takes a while on a busy machine.
  for (const deadline = Date.now() + 90_000; ;) {
    try {
      await runCommand(page, 'Workspaces: Manage Workspace Trust');
      break;
    } catch (err) {
      if (err instanceof CspViolationError || Date.now() > deadline) throw err;
      await page.keyboard.press('Escape');
      await sleep(1000);
    }
  }
  const editor = page.locator('.workspace-trust-editor');
  await editor.waitFor({ timeout: 15_000 });
  return editor;
}

/**
 * Trusts `folder` once in a throwaway browser and writes the browser's storage (where VS Code keeps
 * its trusted folders) to `file`, for E2E_STORAGE_STATE. Only VS Code's application-wide store is
 * kept: the per-folder stores would bring back this window's editors into every test.
 */
export async function trustedState(url, folder, file, { artifacts } = {}) {
  const browser = await launchBrowser();
  try {
    const page = await openWorkbench(browser, url, folder, { storageState: null });
    try {
      await trustFolder(page);
    } catch (err) {
      err.message += `\n--- workbench at failure ---\n${await captureFailure(page, 'trust-workspace', artifacts).catch((e) => e.message)}`;
      throw err;
    }
    // VS Code writes its storage to IndexedDB a moment later (batched): wait until the trusted
    // folder is in it rather than for a fixed time.
    const state = await waitUntil(page, async () => {
      const s = await page.context().storageState({ indexedDB: true });
      return JSON.stringify(s).includes('content.trust.model.key') && s;
    }, { timeout: 30_000, message: 'the trusted folder to be written to the browser storage' });
    for (const origin of state.origins) origin.indexedDB = (origin.indexedDB ?? []).filter((db) => db.name === 'vscode-web-state-db-global');
    await fsp.writeFile(file, JSON.stringify(state));
  } finally {
    await browser.close();
  }
  // Proof that a fresh browser given this state opens the folder trusted.
  const check = await launchBrowser();
  try {
    const page = await openWorkbench(check, url, folder, { storageState: file });
    try {
      // A window reads as untrusted until VS Code has resolved its folder: wait for the change.
      const editor = await showTrustEditor(page);
      await waitUntil(page, async () => (await editor.getAttribute('class')).split(/\s+/).includes('trusted'),
        { timeout: 30_000, message: `${folder} to be trusted in a browser started from ${file}` });
    } catch (err) {
      err.message += `\n--- workbench at failure ---\n${await captureFailure(page, 'trust-workspace-check', artifacts).catch((e) => e.message)}`;
      throw err;
    }
  } finally {
    await check.close();
  }
  return file;
}

export function consoleMessages(page) {
  return pageState.get(page)?.console ?? [];
}

export function cspViolations(page) {
  return pageState.get(page)?.csp ?? [];
}

export function assertNoCspViolations(page) {
  const v = cspViolations(page);
  if (v.length) {
    throw new CspViolationError(`Content Security Policy violation(s):\n${v.map((e) => `  [${e.url}] ${e.text}`).join('\n')}`);
  }
}

/**
 * Polls `probe` (async, returns a value; truthy = done) until done or timeout.
 * Throws at once on a CSP violation. Returns the last probe value.
 */
export async function waitUntil(page, probe, { timeout = 10_000, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  let lastErr;
  for (;;) {
    assertNoCspViolations(page);
    try {
      last = await probe();
      lastErr = undefined;
      if (last) return last;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${message}` +
        (lastErr ? ` (last error: ${lastErr.message})` : ` (last value: ${JSON.stringify(last)})`));
    }
    await sleep(interval);
  }
}

// ---------------------------------------------------------------------------
// Workbench actions

const quickInput = (page) => page.locator('.quick-input-widget');
const quickInputBox = (page) => page.locator('.quick-input-widget .quick-input-box input');

/** Opens a workspace file by name through Quick Open (Control+P). */
export async function openFile(page, relativeName, { timeout = 20_000 } = {}) {
  const base = path.basename(relativeName);
  // Wait until the first (focused) row is the file asked for: the list shows
  // earlier results while the file search is still running.
  const row = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: base });
  const deadline = Date.now() + timeout;
  for (;;) {
    await showQuickInput(page, 'Control+P', relativeName);
    const found = await waitUntil(page, () => row.isVisible(), { timeout: 3000, message: 'row' }).catch(() => false);
    if (found) break;
    // A file created a moment ago may not be in the file search results yet
    // (they come from a cache refreshed by file events); ask again.
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) throw new Error(`quick open did not find ${relativeName} within ${timeout} ms`);
    await sleep(500);
  }
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden' });
  await page.locator(`.tabs-container .tab.active[data-resource-name="${base}"]`).waitFor({ timeout: 15_000 });
  // The editor gets focus once it has loaded its model.
  await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor({ timeout: 15_000 });
}

/**
 * Runs a command palette entry by its full title ("Category: Title").
 * Waits for the row before pressing Enter so the right command runs.
 * `onRun` is called just before (the bench times commands from there).
 */
/**
 * Runs a command from the palette. A command that asks something in a quick pick of its own names
 * it (`quickPick`: the pick's title): the palette and the pick share one widget, which can go from
 * one to the other between two polls without ever looking hidden, so wait for that title instead.
 */
export async function runCommand(page, title, { onRun, quickPick } = {}) {
  await settleWebviews(page);
  await showQuickInput(page, 'F1', `>${title}`);
  const rows = page.locator('.quick-input-list .monaco-list-row');
  const exact = rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) });
  await waitUntil(page, async () => (await exact.count()) > 0,
    { timeout: 15_000, message: `command palette entry "${title}"` });
  // Enter runs the focused row; if fuzzy matching put another command first, click ours.
  const focused = exact.and(page.locator('.focused'));
  if (await focused.count()) {
    if (!(await quickInputBox(page).evaluate((el) => document.activeElement === el))) {
      throw new Error(`command palette lost focus before "${title}" could run`);
    }
    onRun?.();
    await page.keyboard.press('Enter');
  } else {
    onRun?.();
    await exact.first().click();
  }
  if (quickPick) {
    // When this fails, say who had the focus: a quick input closes when a webview takes it.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: quickPick }).waitFor({ state: 'visible' }).catch(async (e) => {
      const focus = await page.evaluate(() => {
        const el = document.activeElement;
        return el ? `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}${el.getAttribute('title') ? ` "${el.getAttribute('title')}"` : ''}` : 'nothing';
      });
      throw new Error(`${e.message}\nthe quick input "${quickPick}" never showed after "${title}"; focus is on ${focus}`);
    });
  } else await quickInput(page).waitFor({ state: 'hidden' });
}

/** Model Lab: Compare Runs… with a filter typed into its own quick input; returns the compare panel. */
export async function compareRunsMatching(page, filter, count) {
  await runCommand(page, 'Model Lab: Compare Runs…', { quickPick: 'Compare runs' });
  await quickInputBox(page).fill(filter);
  await page.locator('.quick-input-widget', { hasText: `${count} runs match` }).waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  const frame = await webviewFrame(page, { title: 'Model Lab: Compare', timeout: 30_000 });
  await waitUntil(page, () => inWebview(frame, (b, n) => b.dataset.ready === '1' && b.dataset.runs === String(n), count),
    { timeout: 20_000, message: `compare panel with ${count} runs` });
  return frame;
}

// A webview still loading takes the focus when it is done; let that happen
// before typing into the palette so the keystrokes are not lost.
async function settleWebviews(page) {
  const loading = page.locator('iframe.webview:not(.ready)');
  const deadline = Date.now() + 10_000;
  let waited = false;
  while ((await loading.count()) > 0 && Date.now() < deadline) {
    waited = true;
    await sleep(50);
  }
  if (waited) await sleep(200);
}

// Opens a quick input with `key` and types `text` into it. A webview that
// has just been created takes the focus when it loads, which closes a quick
// input opened a moment before; so check it stayed open, and try again.
async function showQuickInput(page, key, text) {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press(key);
    try {
      await quickInputBox(page).waitFor({ state: 'visible', timeout: 3000 });
      await quickInputBox(page).fill(text, { timeout: 3000 });
      await sleep(50);
      if (await quickInputBox(page).isVisible() && await quickInputBox(page).inputValue() === text) return;
    } catch (err) {
      if (attempt >= 4) throw err;
    }
    if (attempt >= 4) throw new Error(`quick input (${key}) did not stay open`);
    await sleep(300);
  }
}

/** The editor tabs whose label contains `title` (a panel's tab, in whichever group it is). */
export function editorTabs(page, title) {
  return page.locator('.tabs-container .tab', { has: page.locator('.label-name', { hasText: title }) });
}

/**
 * Frame of a webview's own document (the extension's HTML).
 * VS Code nests it: iframe.webview (host page) → iframe#active-frame.
 * Pick by panel title (matches the editor tab; the tab is activated first)
 * or by index among the visible webviews.
 */
export async function webviewFrame(page, { title, index = 0, timeout = 15_000 } = {}) {
  if (title) {
    const tab = editorTabs(page, title).first();
    await tab.waitFor({ timeout });
    // Webviews are created on demand and hidden with their editor; make it visible.
    if (!(await tab.evaluate((el) => el.classList.contains('active')))) await tab.click();
    // A frame found while the layout changes may be on its way out (its webview hidden and disposed):
    // take it only once its page can be reached, else look again.
    return waitUntil(page, async () => {
      const webviewId = await visibleWebviewFor(page, tab);
      if (!webviewId) return null;
      const frame = page.frameLocator(`iframe.webview.ready[name="${webviewId}"]`).frameLocator('iframe#active-frame');
      await frame.locator('body').waitFor({ state: 'attached', timeout: Math.min(timeout, 3_000) });
      return frame;
    }, { timeout, message: `webview of "${title}"` });
  }
  const frames = page.locator('iframe.webview.ready:visible');
  await waitUntil(page, async () => (await frames.count()) > index, { timeout, message: `webview #${index}` });
  return page.frameLocator('iframe.webview.ready:visible').nth(index).frameLocator('iframe#active-frame');
}

/**
 * Runs Developer: Reload Window and waits for the new workbench. The command returns before the
 * page navigates, so the old workbench (its tabs, its webview iframes) would satisfy a plain wait for
 * `.monaco-workbench` and hand the caller a webview of the page about to go away: mark the old
 * document and wait until the page's document is a new one.
 */
export async function reloadWindow(page, { timeout = 60_000 } = {}) {
  await page.evaluate(() => { window.__modelLabOldDocument = true; });
  await runCommand(page, 'Developer: Reload Window');
  await waitUntil(page, () => page.evaluate(() => window.__modelLabOldDocument !== true).catch(() => false),
    { timeout, message: 'the window to reload' });
  await page.locator('.monaco-workbench').waitFor({ timeout });
}

/** Everything the extension has written to its "Model Lab" log, in every extension host so far. */
export async function extensionLog() {
  const root = path.join(process.env.E2E_STATE_DIR ?? '', 'user-data', 'logs');
  const files = (await fsp.readdir(root, { recursive: true }).catch(() => [])).filter((f) => path.basename(f) === 'Model Lab.log').sort();
  return (await Promise.all(files.map((f) => fsp.readFile(path.join(root, f), 'utf8').catch(() => '')))).join('\n');
}

// The webview iframe is an overlay positioned over its editor (not inside it
// in the DOM), so match the visible webview whose box lies over the tab's group.
async function visibleWebviewFor(page, tab) {
  return tab.evaluate((tabEl) => {
    const group = tabEl.closest('.editor-group-container');
    const content = group?.querySelector('.editor-container');
    if (!content) return null;
    const g = content.getBoundingClientRect();
    for (const f of document.querySelectorAll('iframe.webview.ready')) {
      const host = f.parentElement;
      const style = host && getComputedStyle(host);
      if (!style || style.visibility === 'hidden' || style.display === 'none') continue;
      const r = f.getBoundingClientRect();
      if (r.width < 2 || r.height < 2) continue;
      // Its centre in the group: while groups are laid out again (a move, a group closing), another
      // group's frame, about to be hidden and disposed, can overlap this one's edge for a moment.
      const x = (r.left + r.right) / 2;
      const y = (r.top + r.bottom) / 2;
      if (x > g.left && x < g.right && y > g.top && y < g.bottom) return f.getAttribute('name');
    }
    return null;
  });
}

/** Moves the cursor of the active editor to line:column (1-based) with Go to Line (Control+G). */
export async function goToLine(page, line, column = 1) {
  await showQuickInput(page, 'Control+G', `:${line}:${column}`);
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden' });
  await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor({ timeout: 5000 });
}

/** Text of the notification toasts on screen (extension errors show up here). */
export async function notifications(page) {
  return page.locator('.notifications-toasts .notification-toast').evaluateAll(
    (els) => els.map((el) => el.textContent.replace(/\s+/g, ' ').trim()));
}

/**
 * Wraps a test body so that, when it fails, the error carries a screenshot's path and what the
 * workbench and webviews showed (captureFailure), so a red run says why. `getPage` is read at
 * failure time: suites open their page in a `before` hook.
 */
export function reportingStep(getPage) {
  return (name, fn) => async (t) => {
    try {
      await fn(t);
    } catch (err) {
      const page = getPage();
      const report = page ? await captureFailure(page, name).catch((e) => `(no report: ${e.message})`) : '';
      err.message = `${err.message}\n--- workbench at failure ---\n${report}`;
      throw err;
    }
  };
}

/** Shows the Runs view by its activity bar icon (as a user would). */
export async function showRunsView(page) {
  const icon = page.locator('.activitybar .action-item a.action-label[aria-label^="Model Lab"]').first();
  await icon.waitFor({ timeout: 30_000 });
  const open = await page.locator('.sidebar .composite.title', { hasText: /Model Lab/i }).isVisible().catch(() => false);
  if (!open) await icon.click();
  await page.locator('.sidebar .composite.title', { hasText: /Model Lab/i }).waitFor({ timeout: 15_000 });
}

/**
 * Shows the Runs view with only `group`'s runs expanded. The view's list draws only the rows in
 * sight, so a run of a group below others (which the earlier tests' runs fill) has no row to click.
 */
export async function showRunsGroup(page, group) {
  await showRunsView(page);
  await page.locator('.sidebar .composite.title .action-label[aria-label="Collapse All"]').click();
  const row = page.locator('.pane-body .monaco-list-row', { hasText: group }).first();
  await row.waitFor({ timeout: 20_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
}

/**
 * Hovers `target` in an editor until its hover's text matches `pattern`, and returns that text.
 * Code lenses and inlay hints that arrive after the first hover move the text under a resting
 * mouse, and the hover never shows: so each try points at the target again.
 */
export async function hoverText(page, target, pattern, { timeout = 20_000, message = `hover matching ${pattern}` } = {}) {
  const hover = page.locator('.monaco-hover:visible');
  // allTextContents does not wait for a hover to appear (textContent would, for its whole timeout).
  const text = async () => (await hover.allTextContents().catch(() => [])).join(' ').replace(/\u00a0/g, ' ');
  await target.waitFor({ timeout });
  return waitUntil(page, async () => {
    const shown = await text();
    if (pattern.test(shown)) return shown;
    await page.mouse.move(0, 0);
    await target.hover({ timeout: 2000 }).catch(() => {});
    return null;
  }, { timeout, interval: 1200, message });
}

/** Right-clicks the Runs view row showing `row` and picks `entry` from its context menu. */
export async function runsContextMenu(page, row, entry) {
  await page.locator('.pane-body .monaco-list-row', { hasText: row }).click({ button: 'right' });
  const item = page.locator('.context-view .action-menu-item', { hasText: entry });
  await item.waitFor({ timeout: 10_000 });
  await item.hover();
  await item.click();
  const closed = await page.locator('.context-view .monaco-menu').waitFor({ state: 'hidden', timeout: 2000 }).then(() => true, () => false);
  if (!closed) await page.keyboard.press('Enter');
}

/**
 * Saves a screenshot and returns a text report of what the workbench showed
 * (webview markers and text, status bar, notifications, console errors), for
 * attaching to a failed assertion.
 */
export async function captureFailure(page, name, dir = process.env.E2E_ARTIFACTS || os.tmpdir()) {
  const lines = [];
  const shot = path.join(dir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  try { await screenshot(page, shot); lines.push(`screenshot: ${shot}`); } catch (err) { lines.push(`screenshot failed: ${err.message}`); }
  for (const frame of page.frames()) {
    if (frame === page.mainFrame() || frame.name() !== 'active-frame' && !frame.url().includes('fake.html')) continue;
    try {
      const info = await frame.evaluate(() => ({
        dataset: { ...document.body?.dataset },
        text: (document.body?.innerText ?? '').replace(/\s+/g, ' ').slice(0, 400),
      }));
      lines.push(`webview: data=${JSON.stringify(info.dataset)} text="${info.text}"`);
    } catch (err) { lines.push(`webview: (not readable: ${err.message.split('\n')[0]})`); }
  }
  const tryList = async (label, fn) => {
    try { lines.push(`${label}: ${JSON.stringify(await fn())}`); } catch { /* page gone */ }
  };
  // Each webview's outer frame: whether it said it was ready (a panel left blank may never do).
  await tryList('webview frames', () => page.locator('iframe.webview').evaluateAll((fs) => fs.map((f) => {
    const r = f.getBoundingClientRect();
    return `${f.classList.contains('ready') ? 'ready' : 'NOT READY'} ${Math.round(r.width)}x${Math.round(r.height)}@${Math.round(r.left)},${Math.round(r.top)}`;
  })));
  await tryList('tabs', () => page.locator('.tabs-container .tab').evaluateAll((ts) => ts.map((t) => t.getAttribute('aria-label'))));
  // What the blank-panel guard did (a page loaded again, a panel replaced): each changes the frame.
  await tryList('panel guard', async () => (await extensionLog()).split('\n').filter((l) => /did not load|still blank|stayed blank/.test(l)).slice(-6));
  await tryList('status bar', () => statusBarTexts(page));
  await tryList('notifications', () => notifications(page));
  const errors = consoleMessages(page).filter((m) => m.type === 'error' && !/Failed to load resource/.test(m.text));
  const serviceWorker = consoleMessages(page).filter((m) => /controller|could not register service worker/i.test(m.text));
  if (serviceWorker.length) lines.push(`webview service-worker messages:\n${serviceWorker.slice(-8).map((e) => `  ${e.text.slice(0, 200)}`).join('\n')}`);
  if (errors.length) lines.push(`console errors:\n${errors.slice(-15).map((e) => `  ${e.text.slice(0, 300)}`).join('\n')}`);
  const pageErrors = pageState.get(page)?.pageErrors ?? [];
  if (pageErrors.length) lines.push(`page errors:\n${pageErrors.slice(-5).map((e) => `  ${e.slice(0, 300)}`).join('\n')}`);
  return lines.join('\n');
}

/**
 * The data markers of a panel's page, its frame looked up afresh on every call: VS Code re-creates a
 * webview that is moved or shown again, and the host replaces a panel left blank, so a frame found
 * earlier may be gone. {} while no page of that panel can be read (for polling with waitUntil).
 */
export async function panelMarkers(page, title, { timeout = 5_000 } = {}) {
  try {
    const frame = await webviewFrame(page, { title, timeout });
    return await frame.locator('body').evaluate((b) => ({ ...b.dataset }), undefined, { timeout });
  } catch {
    return {};
  }
}

/** Evaluates `fn(body, arg)` inside a webview document. */
export function inWebview(frame, fn, arg) {
  return frame.locator('body').evaluate(fn, arg);
}

/** Texts of the visible status bar items. */
export async function statusBarTexts(page) {
  return page.locator('.part.statusbar .statusbar-item').evaluateAll(
    (items) => items.map((el) => el.textContent.trim()).filter(Boolean));
}

/**
 * Opens the Problems panel and returns its rendered rows as
 * { file, text, label }: `text` is what the row shows (message, source,
 * "[Ln 3, Col 5]"), `label` its aria-label, `file` the name of the file the
 * marker belongs to (file rows come first in the tree). Only rows the tree
 * has rendered are returned (it is virtualized; fine for a few problems).
 */
export async function problems(page) {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    await panel.waitFor({ state: 'visible' });
  }
  return panel.locator('.monaco-list-row').evaluateAll((rows) => {
    let file = '';
    // Rendered rows are absolutely positioned; DOM order may differ from screen order.
    const sorted = rows.map((r) => [parseFloat(r.style.top) || 0, r]).sort((a, b) => a[0] - b[0]).map(([, r]) => r);
    return sorted.map((r) => {
      const label = r.getAttribute('aria-label') ?? '';
      const m = /problems? in file (.+) of folder/.exec(label);
      if (m) file = m[1];
      return { file: m ? '' : file, text: r.textContent.replace(/\s+/g, ' ').trim(), label };
    });
  });
}

/** Text of each Problems panel row. */
export async function problemsText(page) {
  return (await problems(page)).map((r) => r.text);
}

export async function screenshot(page, file) {
  await fsp.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await page.screenshot({ path: file });
  return file;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A timer that does not keep the process alive on its own.

export function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * For a describe() block: one browser on the shared code-server (E2E_URL, E2E_WORKSPACE set by
 * run.mjs), opened before its tests and closed after. Returns a holder whose `page` the tests use.
 */
export function useWorkbench({ before, after, viewport }) {
  const url = process.env.E2E_URL;
  const workspace = process.env.E2E_WORKSPACE;
  if (!url || !workspace) throw new Error('E2E_URL and E2E_WORKSPACE are not set: run `npm run test:e2e` (or node test/e2e/run.mjs)');
  const holder = { browser: undefined, page: undefined, workspace };
  before(async () => {
    holder.browser = await launchBrowser();
    holder.page = await openWorkbench(holder.browser, url, workspace, viewport ? { viewport } : {});
  });
  after(async () => {
    await holder.browser?.close();
  });
  return holder;
}
