// Webview security (a webview shows workspace text, so it must never run it): every panel's page is
// rendered from the registry and its HTML parsed to prove the Content-Security-Policy, the nonce
// and the webview options; the source is searched so that no panel can build its page another way
// than through the one panel host, every panel names a validator, and executeCommand is reached
// only with a command the host chose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { NONCE_BYTES, WEBVIEW_ASSETS_PATH, panelPageHtml, panelWebviewOptions } from '../../host/webview/pageHtml';
import { PANEL_PAGES, type PanelPageId } from '../../host/webview/panelPages';
import { asRunDir, asSurfaceFile } from '../../host/statePaths';
import { repo } from './helpers';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const ASSETS = `${CSP_SOURCE}/ext/dist/webview/`;
const env = { cspSource: CSP_SOURCE, assetUri: (name: string) => `${ASSETS}${name}` };
const IDS = Object.keys(PANEL_PAGES) as PanelPageId[];

const decode = (s: string): string => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** The CSP of a page as directive -> sources; there must be exactly one CSP meta element. */
function parseCsp(html: string): Map<string, string[]> {
  const metas = [...html.matchAll(/<meta\s[^>]*http-equiv\s*=\s*"Content-Security-Policy"[^>]*>/gi)];
  assert.equal(metas.length, 1, 'one CSP meta element');
  const content = /content\s*=\s*"([^"]*)"/i.exec(metas[0]?.[0] ?? '')?.[1];
  assert.ok(content, 'the CSP meta has content');
  const directives = new Map<string, string[]>();
  for (const part of decode(content).split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    assert.ok(!directives.has(name.toLowerCase()), `directive ${name} appears once`);
    directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

function scriptTags(html: string): { attrs: string; content: string }[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].map((m) => ({ attrs: m[1] ?? '', content: m[2] ?? '' }));
}

const attr = (attrs: string, name: string): string | undefined => {
  const m = new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i').exec(attrs);
  return m ? decode(m[1] as string) : undefined;
};

function nonceOf(html: string): string {
  const scripts = parseCsp(html).get('script-src') ?? [];
  const nonces = scripts.filter((s) => s.startsWith("'nonce-"));
  assert.equal(nonces.length, 1, 'script-src names exactly one nonce');
  return (nonces[0] as string).slice("'nonce-".length, -1);
}

for (const id of IDS) {
  test(`${id}: the CSP allows nothing by default and scripts only with a fresh 128-bit nonce`, () => {
    const html = panelPageHtml(id, env);
    const csp = parseCsp(html);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    const scriptSrc = csp.get('script-src');
    assert.ok(scriptSrc, 'script-src is set (else default-src applies, which would block our own script)');
    const nonce = nonceOf(html);
    for (const source of scriptSrc) assert.ok(source === `'nonce-${nonce}'` || source === CSP_SOURCE, `script-src allows only the nonce and the webview's own origin, not ${source}`);
    assert.ok(Buffer.from(nonce, 'base64').length >= NONCE_BYTES && NONCE_BYTES >= 16, `the nonce ${nonce} holds at least 128 bits`);
    assert.notEqual(nonceOf(panelPageHtml(id, env)), nonce, 'a second render has a different nonce');
    for (const [name, sources] of csp) {
      for (const bad of ["'unsafe-eval'", "'unsafe-inline'", "'unsafe-hashes'", "'wasm-unsafe-eval'", '*', 'http:', 'https:', 'blob:', 'filesystem:']) {
        assert.ok(!sources.includes(bad), `${name} allows ${bad}`);
      }
    }
    // Styles: our own stylesheets only. The pages change styles through the CSSOM (element.style.x),
    // which the CSP allows without 'unsafe-inline'; no markup carries a style attribute or element.
    assert.deepEqual(csp.get('style-src'), [CSP_SOURCE]);
    assert.doesNotMatch(html, /<style\b|\sstyle\s*=/i, 'no inline styles');
    for (const name of ['connect-src', 'frame-src', 'child-src', 'worker-src', 'object-src', 'form-action']) assert.ok(!csp.has(name), `${name} stays at default-src 'none'`);
  });

  test(`${id}: every script carries the nonce and comes from the assets folder; no inline code, no command links`, () => {
    const html = panelPageHtml(id, env);
    const nonce = nonceOf(html);
    const scripts = scriptTags(html);
    assert.ok(scripts.length >= 1, 'the page has its script');
    assert.equal(scripts.length, (html.match(/<script\b/gi) ?? []).length, 'every <script> is closed and counted');
    for (const s of scripts) {
      assert.equal(attr(s.attrs, 'nonce'), nonce, 'the script carries the page nonce');
      assert.ok(attr(s.attrs, 'src')?.startsWith(ASSETS), 'the script is a file of the assets folder');
      assert.equal(s.content.trim(), '', 'no inline script');
    }
    for (const m of html.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/gi)) {
      const url = decode(m[1] as string);
      assert.ok(url === '#' || url.startsWith(ASSETS), `${id}: a link or source outside the assets folder: ${url}`);
    }
    assert.doesNotMatch(html, /command:/i, 'no command URIs');
    assert.doesNotMatch(html, /javascript:/i, 'no javascript: URLs');
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handlers');
    assert.doesNotMatch(html, /<(?:iframe|object|embed|form|base)\b/i, 'no frames, plugins, forms or base');
  });
}

test('every panel page names a script and a stylesheet that scripts/build.mjs puts into the assets folder', () => {
  const build = readFileSync(join(repo, 'scripts', 'build.mjs'), 'utf8');
  assert.match(build, new RegExp(`outdir: join\\(dist, '${WEBVIEW_ASSETS_PATH[1]}'\\)`), `the webview bundles are built into ${WEBVIEW_ASSETS_PATH.join('/')}`);
  for (const id of IDS) {
    const page = PANEL_PAGES[id];
    const entry = page.script.replace(/\.js$/, '');
    assert.match(build, new RegExp(`\\b${entry}: 'webview/`), `${id}: ${page.script} is a webview entry point`);
    assert.ok(build.includes(`'${posix.join(WEBVIEW_ASSETS_PATH[1], page.stylesheet)}'`), `${id}: ${page.stylesheet} is copied into the assets folder`);
  }
});

test('every panel webview: scripts on, command links and forms off, local resources only from dist/webview', () => {
  const options = panelWebviewOptions('/ext', (base, ...segments) => join(base, ...segments));
  assert.deepEqual(WEBVIEW_ASSETS_PATH, ['dist', 'webview']);
  assert.deepEqual(options, { enableScripts: true, enableCommandUris: false, enableForms: false, localResourceRoots: [join('/ext', 'dist', 'webview')] });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.(ts|mts|mjs|js)$/.test(name) ? [full] : [];
  });
}
const rel = (f: string): string => relative(repo, f).split('\\').join('/');
const EXTENSION_FILES = sourceFiles(join(repo, 'extension'));

test('no panel builds its own page: only the page module writes a CSP, html or webview options', () => {
  const pageFiles = new Set(['host/webview/pageHtml.ts', 'extension/webviewHtml.ts']);
  for (const file of [...EXTENSION_FILES, ...['common', 'model', 'engine', 'host'].flatMap((dir) => sourceFiles(join(repo, dir))), ...sourceFiles(join(repo, 'webview'))]) {
    if (pageFiles.has(rel(file))) continue;
    const text = readFileSync(file, 'utf8');
    for (const [what, re] of [
      ['a CSP', /Content-Security-Policy/i], ['webview html', /\.html\s*=[^=]/], ['webview options', /webview\.options\s*=[^=]|\boptions\s*=\s*\{[^}]*enableScripts/],
      ['localResourceRoots', /localResourceRoots/], ['enableCommandUris', /enableCommandUris/], ['asWebviewUri', /asWebviewUri/],
    ] as const) {
      assert.doesNotMatch(text, re, `${rel(file)} sets ${what} itself; panels get their page from setPanelPage (extension/webviewHtml.ts) and an entry in host/webview/panelPages.ts`);
    }
  }
  // Every panel is created, restored and listened to by the one panel host, which loads its page
  // with setPanelPage and checks its messages (test/unit/panelHost.test.ts drives it).
  const creators = EXTENSION_FILES.filter((f) => /createWebviewPanel|registerWebviewPanelSerializer|registerWebviewViewProvider|createWebviewView|onDidReceiveMessage/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(creators.map(rel), ['extension/panels/panelHost.ts'], 'only the panel host makes, restores or listens to panels');
  assert.match(readFileSync(creators[0] as string, 'utf8'), /loadPage: \(page\) => setPanelPage\(/);
});

test('webview code puts text into the page only as text, and never evaluates code', () => {
  for (const file of sourceFiles(join(repo, 'webview'))) {
    const text = readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /\.(?:innerHTML|outerHTML)\s*\+?=|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser/, `${rel(file)} writes markup`);
    assert.doesNotMatch(text, /\beval\(|new Function\(|setTimeout\(\s*['"`]|setInterval\(\s*['"`]/, `${rel(file)} evaluates a string`);
  }
});

test('every panel declares a validator of what its page sends, and reaches executeCommand only with a command of its own', () => {
  const panelFiles = EXTENSION_FILES.filter((f) => rel(f).startsWith('extension/panels/'));
  const controllers = panelFiles.filter((f) => /new PanelHost\(/.test(readFileSync(f, 'utf8')));
  assert.ok(controllers.length >= 6, `found the panels (${controllers.map(rel).join(', ')})`);
  for (const file of controllers) {
    const text = readFileSync(file, 'utf8');
    assert.match(text, /new PanelHost\([A-Z_]+_VIEW_TYPE, \{ validate: as\w+ToHost,/, `${rel(file)}: its messages are checked by a protocol validator`);
    assert.match(text, /assertNever\(msg/, `${rel(file)}: the switch over message types is exhaustive`);
  }
  for (const file of panelFiles) {
    const text = readFileSync(file, 'utf8');
    // runCommand takes only ids of extension/commandTable.ts (its type says so); executeCommand must not be used for others.
    for (const m of text.matchAll(/\b(executeCommand|runCommand)\(([^,)]+)/g)) {
      const command = (m[2] as string).trim();
      assert.match(command, /^'modelLab\.[A-Za-z.]+'$|^INSIDE_COMMANDS\[msg\.view\]$/, `${rel(file)}: ${m[1]}(${command}) must name a fixed Model Lab command`);
    }
  }
});

test('every panel can be restored after a reload: its view type activates the extension', () => {
  const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { activationEvents: string[] };
  const viewTypes = EXTENSION_FILES.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/export const [A-Z_]+_VIEW_TYPE = '([\w.]+)'/g)].map((m) => m[1] as string));
  assert.equal(viewTypes.length, 7, `the seven panels' view types (${viewTypes.join(', ')})`);
  for (const viewType of viewTypes) assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${viewType}`), `onWebviewPanel:${viewType} is an activation event`);
});

test('a restored panel reads only what it can have saved: run folders and surface files, not paths its page names', () => {
  const run = join('/w', '.modellab', 'runs', '2026-11-26T10-00-00-xor');
  assert.equal(asRunDir(run), run);
  for (const bad of [
    '/etc/passwd', join('/w', '.modellab', 'runs'), join('/w', '.modellab', 'runs', '.tmp'), '/w/.modellab/runs/../../etc', 'w/.modellab/runs/x',
    '/w/.modellab/runs/x\0', `/w/.modellab/runs/${'x'.repeat(5000)}`, 42, undefined, { toString: () => run }, [run],
  ]) assert.equal(asRunDir(bad), undefined, `refused: ${String(bad).slice(0, 60)}`);
  assert.equal(asSurfaceFile('/w/bowl.surface.yaml'), '/w/bowl.surface.yaml');
  for (const bad of ['/etc/passwd', '/w/../etc/bowl.surface.yaml', 'bowl.surface.yaml', '/w/bowl.surface.yaml.sh', 7]) assert.equal(asSurfaceFile(bad), undefined);
});
