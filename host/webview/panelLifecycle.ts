// The life of one Model Lab panel, the same for all of them, without VS Code (so that
// test/unit/panelLifecycle.test.ts can drive it with a fake panel). A panel's controller declares
// what it shows (a snapshot) and how it answers its page; this file does the rest:
// - the page: loaded into every new panel, and again by the blank-panel guard;
// - 'ready': nothing is posted to a page before it says 'ready', nor while the panel is hidden
//   (VS Code tears a hidden page down: it says 'ready' again when it is shown, and gets the whole
//   snapshot, so the history lives here and no panel needs retainContextWhenHidden);
// - every message from the page is checked by the controller's validator; one that fails is dropped
//   (and the first of them logged: a page that sends garbage once will likely keep doing it);
// - the blank-panel guard (blankPanelGuard.ts), and moving the controller to a replacement panel.
import type { Accept } from '../../protocol/channel';
import { BlankPanelGuard, type GuardLog } from './blankPanelGuard';
import type { PanelPageId } from './panelPages';

export interface Disposable {
  dispose(): void;
}

/** A webview panel as the lifecycle sees it; extension/panels/panelHost.ts adapts VS Code's. */
export interface PanelSurface {
  readonly visible: boolean;
  readonly viewColumn: number | undefined;
  title: string;
  post(message: unknown): void;
  /** Sets the panel's page (its HTML and webview options) afresh. */
  loadPage(page: PanelPageId): void;
  reveal(column: number | undefined, preserveFocus: boolean): void;
  dispose(): void;
  onMessage(listener: (raw: unknown) => void): Disposable;
  onViewStateChange(listener: () => void): Disposable;
  onDispose(listener: () => void): Disposable;
}

/** Every page says 'ready' when its script runs; other messages are the controller's. */
export type PageMessage = { type: string };
export type ControllerMessage<In extends PageMessage> = Exclude<In, { type: 'ready' }>;

/** What one kind of panel declares; everything else is the host's. */
export interface PanelController<In extends PageMessage, Out> {
  /** The page (host/webview/panelPages.ts). */
  readonly page: PanelPageId;
  /** How the logs name the panel: "the training panel". */
  readonly label: string;
  /** The whole of what the page shows, sent whenever it (re)loads; undefined while there is nothing. */
  snapshot(): Out | undefined;
  handle(message: ControllerMessage<In>): void;
  dispose?(): void;
}

/** The required check of what a page sends (a guard of protocol/<boundary>.ts): the message, or undefined to drop it. */
export type Validator<In> = Accept<In>;

export interface LifecycleOptions<In> {
  validate: Validator<In>;
  log: GuardLog;
  /** Opens a new panel for the controller in place of a blank one (it calls attach). */
  replace(): void;
  /** Tells the user that a panel stayed blank in spite of everything. */
  gaveUp(message: string): void;
  /** The controller's panel was closed (not replaced): it is disposed after this. */
  closed(): void;
}

/** One controller's panel; it outlives the panels VS Code gives it (see replace). */
export class PanelLifecycle<In extends PageMessage, Out> {
  private ready = false;
  private warned = false;
  private guard: BlankPanelGuard | undefined;
  private subscriptions: Disposable[] = [];
  private controllerNow: PanelController<In, Out> | undefined;
  /** How many panels in a row were replaced to get this one's page to load. */
  replacements = 0;

  /** `surface`: the panel it starts in; the controller may set its title before start() loads the page. */
  constructor(private readonly options: LifecycleOptions<In>, private surfaceNow: PanelSurface) {}

  get surface(): PanelSurface {
    return this.surfaceNow;
  }

  get controller(): PanelController<In, Out> {
    if (!this.controllerNow) throw new Error('The panel has no controller yet');
    return this.controllerNow;
  }

  get title(): string {
    return this.surfaceNow.title;
  }

  set title(title: string) {
    this.surfaceNow.title = title;
  }

  /** Loads the controller's page into the first panel. */
  start(controller: PanelController<In, Out>): void {
    this.controllerNow = controller;
    this.attach(this.surface);
  }

  /** Shows the controller in `surface` (a new panel, a restored one or a replacement) and loads its page. */
  attach(surface: PanelSurface, replacements = 0): void {
    this.detach();
    this.surfaceNow = surface;
    this.replacements = replacements;
    this.ready = false;
    surface.loadPage(this.controller.page);
    this.guard = new BlankPanelGuard(surface, {
      resend: () => this.postSnapshot(),
      reloadPage: () => surface.loadPage(this.controller.page),
      replacePanel: () => this.options.replace(),
      gaveUp: (message) => this.options.gaveUp(message),
    }, this.options.log, replacements);
    this.subscriptions = [
      surface.onMessage((raw) => this.receive(raw)),
      surface.onViewStateChange(() => {
        // A hidden webview is torn down; its next page load says 'ready' again.
        if (!surface.visible) this.ready = false;
        this.guard?.viewStateChanged();
      }),
      surface.onDispose(() => {
        this.detach();
        this.options.closed();
        this.controllerNow?.dispose?.();
      }),
    ];
  }

  /** Posts an increment to a page that is ready and visible; others get it in their next snapshot. */
  post(message: Out): void {
    if (this.ready && this.surfaceNow.visible) this.surfaceNow.post(message);
  }

  /** Sends the snapshot again (the controller's content changed), if the page can take it. */
  refresh(): void {
    if (this.ready && this.surfaceNow.visible) this.postSnapshot();
  }

  /** Closes the panel (the controller is disposed with it). */
  close(): void {
    this.surfaceNow.dispose();
  }

  private postSnapshot(): void {
    const snapshot = this.controller.snapshot();
    if (snapshot !== undefined) this.surfaceNow.post(snapshot);
  }

  private receive(raw: unknown): void {
    const message = this.options.validate(raw);
    if (!message) {
      if (!this.warned) this.options.log.warn(`Dropped a malformed message from ${this.controller.label}: ${String(JSON.stringify(raw)).slice(0, 200)}`);
      this.warned = true;
      return;
    }
    if (message.type === 'ready') {
      this.ready = true;
      this.guard?.sawReady();
      this.postSnapshot();
      return;
    }
    this.controller.handle(message as ControllerMessage<In>);
  }

  /** Stops listening to the current panel without closing it (it is being replaced, or is gone). */
  private detach(): void {
    this.guard?.dispose();
    this.guard = undefined;
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions = [];
  }
}
