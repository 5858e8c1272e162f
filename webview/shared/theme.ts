// Colours from the VS Code theme, read from the CSS variables the webview host injects, so charts
// follow light, dark and high-contrast themes.

export interface ChartTheme {
  foreground: string;
  grid: string;
  train: string;
  val: string;
  batch: string;
  font: string;
}

const css = (name: string, fallback: string): string =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

export function readTheme(): ChartTheme {
  const foreground = css('--vscode-foreground', '#cccccc');
  return {
    foreground,
    grid: css('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)'),
    train: css('--vscode-charts-blue', '#3794ff'),
    val: css('--vscode-charts-orange', '#d18616'),
    // The per-batch line is drawn faint behind the epoch lines, but not so faint that it vanishes
    // on a dark background: more opaque where the theme is dark.
    batch: withAlpha(css('--vscode-charts-blue', '#3794ff'), document.body.classList.contains('vscode-light') ? 0.3 : 0.55),
    font: css('--vscode-font-family', 'sans-serif'),
  };
}

/** Re-reads the theme when VS Code switches it (it changes the body's class). */
export function onThemeChange(listener: () => void): void {
  new MutationObserver(listener).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (!hex) return color;
  const n = parseInt(hex[1] as string, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
