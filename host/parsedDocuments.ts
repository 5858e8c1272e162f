// One parse per document version. The editor asks about the same text from many places at once
// (diagnostics, inlay hints, lenses, hovers, code actions) and each keystroke makes a new version:
// the first to ask parses it, the others get that result, and an older version's result goes as
// soon as a newer one is asked for. Knows nothing of vscode: extension/parsedDocuments.ts says how
// a TextDocument is identified and parsed, and drops a document's entry when it closes.

/** Which document and which version of its text. */
export interface DocumentVersion {
  key: string;
  version: number;
}

export class ParsedDocuments<Doc, Parsed> {
  private readonly entries = new Map<string, { version: number; parsed: Parsed }>();

  constructor(
    private readonly identify: (doc: Doc) => DocumentVersion,
    private readonly parse: (doc: Doc) => Parsed,
  ) {}

  /** The parse of this version of the document: made on the first request, shared by the later ones. */
  get(doc: Doc): Parsed {
    const { key, version } = this.identify(doc);
    const hit = this.entries.get(key);
    if (hit && hit.version === version) return hit.parsed;
    const parsed = this.parse(doc);
    this.entries.set(key, { version, parsed });
    return parsed;
  }

  /** A closed document's version numbers start again when it is reopened: its entry must go. */
  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Documents with a parse kept (one entry each, whatever their version). */
  get size(): number {
    return this.entries.size;
  }
}
