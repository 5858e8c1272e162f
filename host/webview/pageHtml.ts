// The HTML and webview options of every Model Lab panel, without VS Code, so that a unit test can
// render each page and prove its Content-Security-Policy (test/unit/webviewCsp.test.ts).
// extension/webviewHtml.ts is the thin vscode wrapper that every panel goes through.
import { randomBytes } from 'node:crypto';
import { PANEL_PAGES, type PanelPage, type PanelPageId } from './panelPages';

/** Where the built scripts, styles and fonts of the panels are, relative to the extension folder. */
export const WEBVIEW_ASSETS_PATH = ['dist', 'webview'] as const;

/** 16 random bytes: a 128-bit nonce, new for every page, so a page's nonce cannot be guessed. */
export const NONCE_BYTES = 16;

/** What a page needs from its webview, as plain strings. */
export interface PageEnv {
  /** The webview's `cspSource` (the origin of its own resources). */
  cspSource: string;
  /** The webview URI of a file in the assets folder. */
  assetUri: (name: string) => string;
}

/** The options of every panel's webview: scripts, but no command links, no forms, and files only from the assets folder. */
export function panelWebviewOptions<U>(extensionRoot: U, join: (base: U, ...segments: string[]) => U): {
  enableScripts: true; enableCommandUris: false; enableForms: false; localResourceRoots: U[];
} {
  return { enableScripts: true, enableCommandUris: false, enableForms: false, localResourceRoots: [join(extensionRoot, ...WEBVIEW_ASSETS_PATH)] };
}

/** The Content-Security-Policy of a page: nothing by default, our own styles, fonts and images, scripts only with the nonce. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    // data: for the canvases' toDataURL images (filters, augmentation) drawn from numbers, never from the workspace.
    `img-src ${cspSource} data:`,
    // Not even our own origin: only the one script tag that carries this page's nonce runs.
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function panelPageHtml(id: PanelPageId, env: PageEnv): string {
  return pageHtml(PANEL_PAGES[id], env);
}

/** A whole page: the registry's static markup (never workspace text) and its script and stylesheet. */
export function pageHtml(page: PanelPage, env: PageEnv): string {
  const nonce = randomBytes(NONCE_BYTES).toString('base64');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(env.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(env.assetUri('codicon.css'))}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${escapeHtml(env.assetUri('base.css'))}">
<link rel="stylesheet" href="${escapeHtml(env.assetUri(page.stylesheet))}">
<title>${escapeHtml(page.title)}</title>
</head>
<body data-ready="0">
${page.body}
<script nonce="${escapeHtml(nonce)}" src="${escapeHtml(env.assetUri(page.script))}"></script>
</body>
</html>`;
}

/** Text safe inside an element or a double-quoted attribute (single quotes stay: the CSP needs them verbatim). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
