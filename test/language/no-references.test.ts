import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AstUtils, EmptyFileSystem, GrammarAST } from 'langium';
import { parseDocument } from 'langium/test';
import { NailsGrammar } from '../../src/language/generated/grammar';
import { createNailsServices } from '../../src/language/nails-module';
import {
  NailsLinker,
  NailsReferenceDescriptionProvider,
  NailsScopeComputation,
} from '../../src/language/no-references';

describe('no cross-references: scopes, linking and the reference index are skipped', () => {
  it('the grammar has no cross-reference (else the replacements of no-references.ts are wrong)', () => {
    const refs = AstUtils.streamAllContents(NailsGrammar()).filter(GrammarAST.isCrossReference);
    assert.deepEqual(
      refs.map((r) => r.$container?.$type).toArray(),
      [],
      'a cross-reference in nails.langium: remove src/language/no-references.ts from the module',
    );
  });

  it('the language services use them, and a spec with parameters still validates and jumps to a definition', async () => {
    const { Nails } = createNailsServices(EmptyFileSystem);
    assert.ok(Nails.references.ScopeComputation instanceof NailsScopeComputation);
    assert.ok(Nails.references.Linker instanceof NailsLinker);
    assert.ok(
      Nails.workspace.ReferenceDescriptionProvider instanceof NailsReferenceDescriptionProvider,
    );
    const text = [
      'data { generate binary_output samples 200  train 0..200 }',
      'model custom {',
      '  states 1',
      '  parameters { a = 0.5  b = 1 }',
      "  state { x1' = a*x1 + b*u1 }",
      '  output { y1 = x1 }',
      '}',
      'loss mse',
      'solver nailm',
    ].join('\n');
    const doc = await parseDocument(Nails, text, { validation: true });
    assert.deepEqual(
      (doc.diagnostics ?? []).filter((d) => d.severity === 1).map((d) => d.message),
      [],
    );
    assert.equal(doc.localSymbols?.getStream(doc.parseResult.value).count(), 0);
    const at = text.indexOf('b*u1');
    const links = await Nails.lsp.DefinitionProvider!.getDefinition(doc, {
      textDocument: { uri: doc.uri.toString() },
      position: doc.textDocument.positionAt(at),
    });
    assert.equal(links?.length, 1);
    const target = links?.[0]?.targetSelectionRange.start;
    assert.ok(target);
    assert.equal(doc.textDocument.offsetAt(target), text.indexOf('b = 1'));
  });
});
