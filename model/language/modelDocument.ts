// One version of a model file's text, parsed once, with every view the editor asks of it: the full
// check (diagnostics, spec, summary), the model section alone (shapes and counts stay while the rest
// of the file is being edited), whether it is an architecture file. Each view is computed from the
// one source tree the first time it is asked for, then kept. extension/parsedDocuments.ts keeps one
// per document version, so the diagnostics, hints, lenses, hovers and code actions share it.
import { isArchitectureTree } from './architecture';
import type { SpecDiagnostic } from './diagnostic';
import { parseModelSectionTree, parseModelTree, type ModelSectionResult, type ParseOptions, type ParseResult } from './parse';
import { parseSource, type SourceTree } from './source';

export class ModelDocument {
  /** The text as a tree with source ranges: the one YAML/JSON parse of this version. */
  readonly tree: SourceTree;
  private fullResult?: ParseResult;
  private sectionResult?: ModelSectionResult;
  private architecture?: boolean;

  /** `parse` is parseSource; tests pass a counting one. */
  constructor(readonly text: string, private readonly options: ParseOptions = {}, parse: (text: string) => SourceTree = parseSource) {
    this.tree = parse(text);
  }

  /** The whole file checked as a training would check it (the data files aside: engine/data/dataFiles.ts). */
  get full(): ParseResult {
    this.fullResult ??= parseModelTree(this.tree, this.text, this.options);
    return this.fullResult;
  }

  /** The model section alone, as `model-lab summary` checks it. */
  get section(): ModelSectionResult {
    this.sectionResult ??= parseModelSectionTree(this.tree, this.text);
    return this.sectionResult;
  }

  /** A model section with neither data nor train: for counting, not for training (model/language/architecture.ts). */
  get isArchitecture(): boolean {
    this.architecture ??= isArchitectureTree(this.tree.root);
    return this.architecture;
  }

  /** What the editor shows: the model section's diagnostics for an architecture file, else the full file's. */
  get diagnostics(): SpecDiagnostic[] {
    return this.isArchitecture ? this.section.diagnostics : this.full.diagnostics;
  }
}
