// A document's diagnostics come in two steps: what its parse found, at once, and what needs the
// disk (the data files it names, where they really are), when the asynchronous look is done. The
// disk's findings belong to the version they were looked up for: those of a version that is no
// longer current, or of a closed document, are dropped, and so are those of a look that a later look
// at the same version overtook (the version stays when the interpreter or the workspace's trust
// changes, and a slow look must not cover a quick later one). Until a version's own arrive, the last
// ones published stay on screen, so that they do not blink at every keystroke. Knows nothing of
// vscode: extension/diagnostics.ts says how a document is identified and published.
import type { DocumentVersion } from './parsedDocuments';

export interface DocumentState extends DocumentVersion {
  closed: boolean;
}

export class DiskFindings<Doc, Finding> {
  private readonly kept = new Map<string, Finding[]>();
  /** The latest look started per document: only its answer is published. */
  private readonly latest = new Map<string, number>();
  private looks = 0;
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
    const ticket = ++this.looks;
    this.latest.set(key, ticket);
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
    if (this.disposed || now.closed || now.version !== version || this.latest.get(key) !== ticket) return;
    this.kept.set(key, found);
    this.publish(doc, found);
  }

  /** A closed document's findings go with it. */
  forget(key: string): void {
    this.kept.delete(key);
    this.latest.delete(key);
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
