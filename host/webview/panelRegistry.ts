// The panels of one view type, found by a key (a model file, a run, a view): create or reveal,
// restore after a window reload, replace a panel whose page stays blank, close. Without VS Code:
// extension/panels/panelHost.ts gives it the panels (a PanelFactory) and registers the serializer.
import type { GuardLog } from './blankPanelGuard';
import { PanelLifecycle, type PageMessage, type PanelController, type PanelSurface, type Validator } from './panelLifecycle';

/** Where a new panel opens, as VS Code's ViewColumn (Beside is -2, Active -1). */
export interface Placement {
  column: number;
  preserveFocus: boolean;
}

export interface PanelFactory {
  create(title: string, placement: Placement): PanelSurface;
  /** A new panel in `old`'s group, titled like it (made before `old` is disposed, so the group stays). */
  replacement(old: PanelSurface): PanelSurface;
  warn(message: string): void;
}

/** What the page saved with setState, made into a controller again; undefined: nothing left to show. */
export type Restorer<K, In extends PageMessage, Out, C> = (state: unknown) =>
  Promise<Restored<K, In, Out, C> | undefined> | Restored<K, In, Out, C> | undefined;
export interface Restored<K, In extends PageMessage, Out, C> {
  key: K;
  make: (panel: PanelLifecycle<In, Out>) => C;
}

export interface PanelKind<K, In extends PageMessage, Out, C> {
  validate: Validator<In>;
  restore: Restorer<K, In, Out, C>;
}

export class PanelRegistry<K, In extends PageMessage, Out, C extends PanelController<In, Out>> {
  private readonly entries = new Map<K, { panel: PanelLifecycle<In, Out>; controller: C }>();

  constructor(private readonly kind: PanelKind<K, In, Out, C>, private readonly factory: PanelFactory, private readonly log: GuardLog) {}

  get(key: K): C | undefined {
    return this.entries.get(key)?.controller;
  }

  panelOf(key: K): PanelLifecycle<In, Out> | undefined {
    return this.entries.get(key)?.panel;
  }

  get size(): number {
    return this.entries.size;
  }

  controllers(): C[] {
    return [...this.entries.values()].map((e) => e.controller);
  }

  /**
   * The controller of `key`: its panel revealed (at `revealColumn`), or made by `make` in a new panel.
   * `created` says which, for controllers that show something new only in an existing panel.
   */
  open(key: K, title: string, placement: Placement, make: (panel: PanelLifecycle<In, Out>) => C, revealColumn?: number): { controller: C; created: boolean } {
    const existing = this.entries.get(key);
    if (existing) {
      existing.panel.surface.reveal(revealColumn, placement.preserveFocus);
      return { controller: existing.controller, created: false };
    }
    return { controller: this.adopt(key, this.factory.create(title, placement), make), created: true };
  }

  /** After a window reload: the panel VS Code kept, shown again from its page's saved state. */
  async restore(surface: PanelSurface, state: unknown): Promise<void> {
    const restored = await this.kind.restore(state);
    // Nothing left to show (the record is gone), or already open again (a command ran before the restore).
    if (!restored || this.entries.has(restored.key)) {
      surface.dispose();
      return;
    }
    this.adopt(restored.key, surface, restored.make);
  }

  /** Closes every panel; their controllers are disposed with them. */
  closeAll(): void {
    for (const { panel } of [...this.entries.values()]) panel.close();
  }

  private adopt(key: K, surface: PanelSurface, make: (panel: PanelLifecycle<In, Out>) => C): C {
    this.entries.get(key)?.panel.close();
    const panel: PanelLifecycle<In, Out> = new PanelLifecycle<In, Out>({
      validate: this.kind.validate,
      log: this.log,
      replace: () => this.replace(key, panel),
      gaveUp: (message) => this.factory.warn(message),
      closed: () => {
        if (this.entries.get(key)?.panel === panel) this.entries.delete(key);
      },
    }, surface);
    const controller = make(panel);
    this.entries.set(key, { panel, controller });
    panel.start(controller);
    return controller;
  }

  /** The guard gave up on the page of `panel`: the same controller goes on in a new panel. */
  private replace(key: K, panel: PanelLifecycle<In, Out>): void {
    if (this.entries.get(key)?.panel !== panel) return;
    const old = panel.surface;
    panel.attach(this.factory.replacement(old), panel.replacements + 1);
    old.dispose();
  }
}
