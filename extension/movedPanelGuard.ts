// VS Code re-creates a panel's page when the panel is moved into another editor group, and when it
// is shown again after being hidden (no retainContextWhenHidden). In VS Code for the web the new
// page sometimes never loads its stylesheet and script: it stays blank (found by
// test/e2e/panel-move.test.mjs, both after a move and after Show Training Panel). The guard notices
// the move or the reveal, lets the panel send its snapshot to a page that survived a move, and loads
// the page again if it has not said 'ready' within two seconds. A page loaded again can stay blank
// too (seen in CI on a loaded machine), so it tries again, waiting twice as long each time, up to
// MAX_RELOADS times.
import type * as vscode from 'vscode';

const RELOAD_AFTER_MS = 2000;
const MAX_RELOADS = 4;

export class MovedPanelGuard {
  private column: vscode.ViewColumn | undefined;
  private visible: boolean;
  private readySinceMove = true;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    /** Sends the snapshot to the page as it is now. */
    private readonly resend: () => void,
    /** Sets the page's HTML again (it will say 'ready' when its script runs). */
    private readonly reload: () => void,
    private readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>,
  ) {
    this.column = panel.viewColumn;
    this.visible = panel.visible;
  }

  /** Call from onDidChangeViewState. */
  viewStateChanged(): void {
    const moved = this.column !== undefined && this.panel.viewColumn !== this.column;
    const revealed = !this.visible && this.panel.visible;
    this.column = this.panel.viewColumn;
    this.visible = this.panel.visible;
    if ((!moved && !revealed) || !this.panel.visible) return;
    // A page that survived a move needs the snapshot; a revealed one is new and asks for it.
    if (moved) this.resend();
    this.readySinceMove = false;
    this.watch(1, RELOAD_AFTER_MS);
  }

  /** Loads the page again if it has not said 'ready' within `ms`; `attempt` counts the loads. */
  private watch(attempt: number, ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.readySinceMove || !this.panel.visible) return;
      if (attempt > MAX_RELOADS) {
        this.log.warn(`The panel "${this.panel.title}" stayed blank after it was moved or shown and loaded again ${MAX_RELOADS} times; close and reopen it.`);
        return;
      }
      this.log.info(`The panel "${this.panel.title}" did not load after it was moved or shown; loading it again (${attempt} of ${MAX_RELOADS}).`);
      this.reload();
      this.watch(attempt + 1, ms * 2);
    }, ms);
  }

  /** Call when the page says 'ready'. */
  sawReady(): void {
    this.readySinceMove = true;
    clearTimeout(this.timer);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
