// A document's diagnostics come in two steps: what its parse found, at once, and what needs the
// disk (the data files it names, where they really are), when the asynchronous look is done. The
// disk's findings belong to the version they were looked up for: those of a version that is no
// longer current, or of a closed document, are dropped. Until a version's own arrive, the last
// ones published stay on screen, so that they do not blink at every keystroke. Knows nothing of
// vscode: extension/diagnostics.ts says how a document is identified and published.
import type { DocumentVersion } from './parsedDocuments';

export interface DocumentState extends DocumentVersion {
  closed: boolean;
}

export class DiskFindings<Doc, Finding> {
  private readonly kept = new Map<string, Finding[]>();
  private disposed = false;

  constructor(
    private readonly identify: (doc: Doc) => DocumentState,
    /** Shows the document's diagnostics: its parse's, followed by `fromDisk`. */
    private readonly publish: (doc: Doc, fromDisk: Finding[]) => void,
  ) {}

  /**
   * Publishes at once, then again when `look` (undefined: nothing to look at on the disk) is done,
   * if the document is still at the same version. The promise settles after that second step.
   */
  async update(doc: Doc, look: (() => Promise<Finding[]>) | undefined): Promise<void> {
    const { key, version } = this.identify(doc);
    if (!look) {
      this.kept.delete(key);
      this.publish(doc, []);
      return;
    }
    this.publish(doc, this.kept.get(key) ?? []);
    let found: Finding[];
    try {
      found = await look();
    } catch {
      return; // the last findings stay until a look succeeds
    }
    const now = this.identify(doc);
    if (this.disposed || now.closed || now.version !== version) return;
    this.kept.set(key, found);
    this.publish(doc, found);
  }

  /** A closed document's findings go with it. */
  forget(key: string): void {
    this.kept.delete(key);
  }

  /** Forget every document's findings (their reasons changed, e.g. the workspace became trusted). */
  clear(): void {
    this.kept.clear();
  }

  /** Looks still under way publish nothing once the provider is gone. */
  dispose(): void {
    this.disposed = true;
    this.kept.clear();
  }
}
