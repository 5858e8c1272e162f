// VS Code re-creates a panel's page when the panel is moved into another editor group, and when it
// is shown again after being hidden (no retainContextWhenHidden). In VS Code for the web that new
// page sometimes stays blank (found by test/e2e/panel-move.test.mjs, after a move and after Show
// Training Panel), in one of two ways:
// - the page's frame loads but never runs its script: setting the HTML again fixes it;
// - the webview's outer frame never says it is ready (it waits for a service-worker controller
//   change that it missed), so HTML set again is only queued: only a new panel fixes that.
// The guard notices the move or the reveal, sends its snapshot to a page that survived a move,
// loads the page again if it has not said 'ready' within two seconds, and if six seconds later it
// still has not, replaces the panel by a new one in the same group (MAX_REPLACEMENTS times).
/** What the guard reads of a panel: where it is, whether it shows, its title (for the log). */
export interface GuardedPanel {
  readonly viewColumn: number | undefined;
  readonly visible: boolean;
  readonly title: string;
}

export interface GuardLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface PanelRecovery {
  /** Sends the snapshot to the page as it is now. */
  resend(): void;
  /** Sets the page's HTML again (it will say 'ready' when its script runs). */
  reloadPage(): void;
  /** Opens a new panel in this one's group showing the same thing, then disposes this one. */
  replacePanel(): void;
  /** Tells the user, when nothing helped. */
  gaveUp(message: string): void;
}

const RELOAD_AFTER_MS = 2000;
const REPLACE_AFTER_MS = 6000;
export const MAX_REPLACEMENTS = 2;

export class BlankPanelGuard {
  private column: number | undefined;
  private visible: boolean;
  private readySinceShown = true;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * `replacements`: how many panels this one replaces in a row (0 for a panel the user opened).
   * A replacement's first page is watched like a moved one's.
   */
  constructor(
    private readonly panel: GuardedPanel,
    private readonly recovery: PanelRecovery,
    private readonly log: GuardLog,
    private readonly replacements = 0,
  ) {
    this.column = panel.viewColumn;
    this.visible = panel.visible;
    if (replacements > 0) this.watch();
  }

  /** Call from onDidChangeViewState. */
  viewStateChanged(): void {
    const moved = this.column !== undefined && this.panel.viewColumn !== this.column;
    const revealed = !this.visible && this.panel.visible;
    this.column = this.panel.viewColumn;
    this.visible = this.panel.visible;
    if ((!moved && !revealed) || !this.panel.visible) return;
    // A page that survived a move needs the snapshot; a revealed one is new and asks for it.
    if (moved) this.recovery.resend();
    this.watch();
  }

  private watch(): void {
    this.readySinceShown = false;
    this.after(RELOAD_AFTER_MS, () => {
      this.log.info(`The panel "${this.panel.title}" did not load; loading its page again.`);
      this.recovery.reloadPage();
      this.after(REPLACE_AFTER_MS, () => {
        if (this.replacements >= MAX_REPLACEMENTS) {
          const message = `The panel "${this.panel.title}" stayed blank, also in ${MAX_REPLACEMENTS} new panels; close and reopen it.`;
          this.log.warn(message);
          this.recovery.gaveUp(message);
          return;
        }
        this.log.info(`The panel "${this.panel.title}" is still blank; opening a new one in its place.`);
        this.recovery.replacePanel();
      });
    });
  }

  /** Runs `step` in `ms` unless the page has said 'ready' by then or the panel is hidden. */
  private after(ms: number, step: () => void): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.readySinceShown && this.panel.visible) step();
    }, ms);
  }

  /** Call when the page says 'ready'. */
  sawReady(): void {
    this.readySinceShown = true;
    clearTimeout(this.timer);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
