/**
 * The .nails grammar has no cross-references (a parameter named in an equation is resolved by the
 * analysis, not by Langium's linker; go to definition finds it by name). Langium's default scope
 * computation, linker and reference index still walk the whole AST on every edit, with a
 * cancellation check per node — about a fifth of the time from an edit of a 1,000-line spec to its
 * diagnostics (bench/language-latency.ts). These replacements skip that work; a test checks that
 * the grammar still has no cross-reference (test/language/no-references.test.ts).
 */
import {
  DefaultLinker,
  DefaultReferenceDescriptionProvider,
  DefaultScopeComputation,
  MultiMap,
  type AstNodeDescription,
  type LangiumDocument,
  type LocalSymbols,
  type ReferenceDescription,
} from 'langium';

/** No local symbols: nothing refers to them. */
export class NailsScopeComputation extends DefaultScopeComputation {
  override collectLocalSymbols(): Promise<LocalSymbols> {
    return Promise.resolve(new MultiMap<never, AstNodeDescription>());
  }
}

/** Nothing to link. */
export class NailsLinker extends DefaultLinker {
  override link(_document: LangiumDocument): Promise<void> {
    return Promise.resolve();
  }
}

/** No references to index. */
export class NailsReferenceDescriptionProvider extends DefaultReferenceDescriptionProvider {
  override createDescriptions(_document: LangiumDocument): Promise<ReferenceDescription[]> {
    return Promise.resolve([]);
  }
}
