/**
 * The Langium services of the .nails language: validation (analysis.ts), completion
 * (nails-completion.ts), hover (keywords from keyword-docs.ts, signals, files and parameter
 * blocks, the settings recommended for the spec's data from recommend-hover.ts), formatting, go to definition and the document outline. `createNailsServices` wires them for the language server and the tests.
 */
import {
  AstUtils,
  CstUtils,
  GrammarAST,
  GrammarUtils,
  inject,
  type CstNode,
  type MaybePromise,
  type AstNode,
  type LangiumDocument,
  type Module,
  type ValidationChecks,
} from 'langium';
import {
  AbstractFormatter,
  AstNodeHoverProvider,
  createDefaultModule,
  createDefaultSharedModule,
  DefaultDefinitionProvider,
  DefaultDocumentSymbolProvider,
  Formatting,
  type DefaultSharedModuleContext,
  type LangiumServices,
  type LangiumSharedServices,
  type PartialLangiumServices,
} from 'langium/lsp';
import {
  SymbolKind,
  LocationLink,
  type DefinitionParams,
  type DocumentSymbol,
  type Hover,
  type HoverParams,
} from 'vscode-languageserver';
import { NailsCodeActionProvider } from './code-actions/nails-code-actions.js';
import { createCodeLensProvider } from './code-lens/nails-code-lens.js';
import { fileSignals } from './file-signals.js';
import * as ast from './generated/ast.js';
import { NailsGeneratedModule, NailsGeneratedSharedModule } from './generated/module.js';
import { keywordDoc } from './keyword-docs.js';
import { NailsCompletionProvider } from './nails-completion.js';
import { createKeywordRecoveringParser, KeywordRecoveryLexer } from './keyword-recovery.js';
import { NailsLanguageServer } from './nails-language-server.js';
import {
  analyzeDocumentSpec,
  documentContext,
  NailsSettings,
  NailsValidator,
} from './nails-validator.js';
import {
  NailsLinker,
  NailsReferenceDescriptionProvider,
  NailsScopeComputation,
} from './no-references.js';
import { recommendationHover } from './recommend-hover.js';

export { analyzeDocumentSpec, NailsSettings, NailsValidator } from './nails-validator.js';

export type NailsAddedServices = {
  settings: NailsSettings;
  validation: { NailsValidator: NailsValidator };
};
export type NailsServices = LangiumServices & NailsAddedServices;

function registerValidationChecks(services: NailsServices): void {
  const checks: ValidationChecks<ast.NailsAstType> = {
    Spec: services.validation.NailsValidator.checkSpec.bind(services.validation.NailsValidator),
  };
  services.validation.ValidationRegistry.register(checks, services.validation.NailsValidator);
}

export class NailsHoverProvider extends AstNodeHoverProvider {
  constructor(
    services: LangiumServices,
    private readonly settings: NailsSettings,
  ) {
    super(services);
  }

  /** Our nodes have no names to resolve: hover on the leaf under the cursor (keyword or value). */
  override getHoverContent(
    document: LangiumDocument,
    params: HoverParams,
  ): Promise<Hover | undefined> {
    return Promise.resolve(this.hoverAt(document, params));
  }

  private hoverAt(document: LangiumDocument, params: HoverParams): Hover | undefined {
    const root = document.parseResult.value.$cstNode;
    if (!root) return undefined;
    const offset = document.textDocument.offsetAt(params.position);
    const leaf = CstUtils.findLeafNodeAtOffset(root, offset);
    if (!leaf) return undefined;
    if (GrammarAST.isKeyword(leaf.grammarSource)) {
      const rule = AstUtils.getContainerOfType(leaf.grammarSource, GrammarAST.isParserRule);
      const doc = keywordDoc(leaf.text, rule?.name);
      const spec = AstUtils.getContainerOfType(leaf.astNode, ast.isSpec);
      const advice =
        spec &&
        recommendationHover(leaf.text, rule?.name, spec, documentContext(spec, this.settings));
      const value = [doc && `**${leaf.text}**: ${doc}`, advice].filter(Boolean).join('\n\n---\n\n');
      if (value) return { contents: { kind: 'markdown', value } };
    }
    try {
      const text = this.getAstNodeHoverContent(leaf.astNode);
      return text ? { contents: { kind: 'markdown', value: text } } : undefined;
    } catch {
      return undefined;
    }
  }

  protected override getAstNodeHoverContent(node: AstNode): string | undefined {
    const spec = AstUtils.getContainerOfType(node, ast.isSpec);
    if (!spec) return undefined;
    if (ast.isSignalRef(node)) return this.getAstNodeHoverContent(node.$container);
    if (ast.isInputItem(node) || ast.isOutputItem(node)) {
      const Ts = analyzeDocumentSpec(spec, this.settings).Ts;
      const all = new Map(fileSignals(node, this.settings, Ts).map((s) => [s.name, s.detail]));
      return node.signals
        .map((s) => `**${s.name}**: ${all.get(s.name) ?? 'not in the data file'}`)
        .join('\n\n');
    }
    if (ast.isFileEntry(node) || ast.isPartFileItem(node)) {
      const sigs = fileSignals(node, this.settings);
      return sigs.length
        ? `**${node.path}**\n\n${sigs.map((s) => `- \`${s.name}\`: ${s.detail}`).join('\n')}`
        : undefined;
    }
    if (
      ast.isPenaltyItem(node) ||
      ast.isBudgetItem(node) ||
      ast.isBoundsItem(node) ||
      ast.isIntegerItem(node) ||
      ast.isQuantizeItem(node) ||
      ast.isMixedIntegerItem(node)
    ) {
      const model = analyzeDocumentSpec(spec, this.settings).model;
      const lines = node.targets.map((t) => {
        const b = model?.layout.has(t) ? model.layout.get(t) : undefined;
        return b ? `\`${t}\`: ${b.rows}×${b.cols} (${b.size} parameters)` : `\`${t}\``;
      });
      return lines.join('\n\n') || undefined;
    }
    return undefined;
  }
}

export class NailsFormatter extends AbstractFormatter {
  protected format(node: AstNode): void {
    const f = this.getNodeFormatter(node);
    f.keywords(',').prepend(Formatting.noSpace()).append(Formatting.oneSpace());
    if (ast.isSpec(node)) {
      node.sections.forEach((s, i) =>
        f.node(s).prepend(i === 0 && !node.name ? Formatting.noSpace() : Formatting.newLines(2)),
      );
      return;
    }
    // Sections: one setting per line, indented; nested blocks (parts, maps, admm) stay on one line.
    const multiline = ast.isDataSection(node)
      ? node.entries
      : ast.isModelSection(node)
        ? node.entries
        : ast.isRegularizeSection(node) || ast.isConstrainSection(node)
          ? node.items
          : ast.isSolverSection(node)
            ? node.settings
            : undefined;
    const inline = ast.isPartEntry(node)
      ? node.items
      : ast.isMapEntry(node)
        ? node.settings
        : ast.isAdmmBlock(node)
          ? node.settings
          : undefined;
    const open = f.keywords('{');
    const close = f.keywords('}');
    if (open.nodes.length === 0) return;
    open.prepend(Formatting.oneSpace());
    if (multiline) {
      for (const c of multiline as AstNode[]) f.node(c).prepend(Formatting.indent());
      close.prepend(Formatting.newLine());
    } else if (inline) {
      for (const c of inline as AstNode[]) f.node(c).prepend(Formatting.oneSpace());
      close.prepend(inline.length > 0 ? Formatting.oneSpace() : Formatting.noSpace());
    }
  }
}

/** Go to definition: a parameter name in an equation jumps to its declaration. */
export class NailsDefinitionProvider extends DefaultDefinitionProvider {
  protected override collectLocationLinks(
    source: CstNode,
    params: DefinitionParams,
  ): MaybePromise<LocationLink[] | undefined> {
    const node = source.astNode;
    if (ast.isNameExpr(node) && node.args.length === 0) {
      const model = AstUtils.getContainerOfType(node, ast.isModelSection);
      const decl = model?.entries
        .filter(ast.isParametersEntry)
        .flatMap((e) => e.parameters)
        .find((p) => p.name === node.name);
      const target = decl && GrammarUtils.findNodeForProperty(decl.$cstNode, 'name');
      if (decl?.$cstNode && target) {
        return [
          LocationLink.create(
            AstUtils.getDocument(decl).uri.toString(),
            decl.$cstNode.range,
            target.range,
            source.range,
          ),
        ];
      }
      return undefined;
    }
    return super.collectLocationLinks(source, params);
  }
}

/** Outline: one symbol per section and per data part. */
export class NailsDocumentSymbolProvider extends DefaultDocumentSymbolProvider {
  override getSymbols(document: LangiumDocument): DocumentSymbol[] {
    const spec = document.parseResult.value as ast.Spec;
    const range = (n: AstNode) => n.$cstNode!.range;
    return spec.sections
      .filter((s) => s.$cstNode)
      .map((s) => {
        const name = ast.isDataSection(s)
          ? 'data'
          : ast.isModelSection(s)
            ? `model ${s.kind}`
            : ast.isLossSection(s)
              ? `loss ${s.name}`
              : ast.isSolverSection(s)
                ? `solver ${s.method}`
                : ast.isRegularizeSection(s)
                  ? 'regularize'
                  : 'constrain';
        const children = ast.isDataSection(s)
          ? s.entries
              .filter(ast.isPartEntry)
              .filter((p) => p.$cstNode)
              .map((p) => ({
                name: `${p.part}${p.name ? ` ${p.name}` : ''}`,
                kind: SymbolKind.Field,
                range: range(p),
                selectionRange: range(p),
              }))
          : [];
        return {
          name,
          kind: SymbolKind.Module,
          range: range(s),
          selectionRange: range(s),
          children,
        };
      });
  }
}

export const NailsModule: Module<NailsServices, PartialLangiumServices & NailsAddedServices> = {
  settings: () => new NailsSettings(),
  validation: { NailsValidator: (services) => new NailsValidator(services.settings) },
  parser: {
    Lexer: (services) => new KeywordRecoveryLexer(services),
    LangiumParser: (services) => createKeywordRecoveringParser(services),
  },
  references: {
    ScopeComputation: (services) => new NailsScopeComputation(services),
    Linker: (services) => new NailsLinker(services),
  },
  workspace: {
    ReferenceDescriptionProvider: (services) => new NailsReferenceDescriptionProvider(services),
  },
  lsp: {
    CodeActionProvider: () => new NailsCodeActionProvider(),
    CodeLensProvider: (services) => createCodeLensProvider(services.shared),
    CompletionProvider: (services) => new NailsCompletionProvider(services, services.settings),
    HoverProvider: (services) => new NailsHoverProvider(services, services.settings),
    Formatter: () => new NailsFormatter(),
    DocumentSymbolProvider: (services) => new NailsDocumentSymbolProvider(services),
    DefinitionProvider: (services) => new NailsDefinitionProvider(services),
  },
};

/** Creates the shared and language services (file system: NodeFileSystem for a server, EmptyFileSystem for tests). */
export function createNailsServices(context: DefaultSharedModuleContext): {
  shared: LangiumSharedServices;
  Nails: NailsServices;
} {
  const shared = inject(createDefaultSharedModule(context), NailsGeneratedSharedModule, {
    lsp: { LanguageServer: (s: LangiumSharedServices) => new NailsLanguageServer(s) },
  });
  const Nails = inject(createDefaultModule({ shared }), NailsGeneratedModule, NailsModule);
  shared.ServiceRegistry.register(Nails);
  registerValidationChecks(Nails);
  return { shared, Nails };
}
