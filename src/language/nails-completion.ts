/**
 * Completion for .nails specs. Keywords the grammar allows at the cursor; a setting's keyword
 * carries its doc, range and default from settings-schema.ts (so the block the cursor is in lists
 * its settings, documented); after a keyword with a closed set of names, those names from the
 * schema; parameter blocks of the model as it stands; the data file's variable names.
 */
import { AstUtils, GrammarAST } from 'langium';
import {
  DefaultCompletionProvider,
  type CompletionAcceptor,
  type CompletionContext,
  type LangiumServices,
  type NextFeature,
} from 'langium/lsp';
import { CompletionItemKind } from 'vscode-languageserver';
import { FREQUENCY_UNITS, TIME_UNITS } from './analysis/vocabulary.js';
import { fileSignals } from './file-signals.js';
import * as ast from './generated/ast.js';
import { analyzeDocumentSpec, type NailsSettings } from './nails-validator.js';
import {
  SETTINGS,
  keywordOf,
  rangeText,
  settingSummary,
  type SettingDef,
} from './settings-schema.js';

/** Names that are not settings of their own: the sampling time's unit. */
const UNITS: Record<string, Record<string, readonly string[]>> = {
  SamplingEntry: { unit: [...Object.keys(TIME_UNITS), ...Object.keys(FREQUENCY_UNITS)] },
};

/** The setting whose keyword `keyword` is, in the rule that holds it. */
function settingOf(keyword: GrammarAST.Keyword): SettingDef | undefined {
  const rule = AstUtils.getContainerOfType(keyword, GrammarAST.isParserRule)?.name;
  return rule === undefined
    ? undefined
    : SETTINGS.find((d) => d.rules.includes(rule) && keywordOf(d) === keyword.value);
}

/** The names the value of `assignment` in `rule` may take (an enum setting of that rule). */
function namesFor(rule: GrammarAST.ParserRule, assignment: GrammarAST.Assignment) {
  const fixed = UNITS[rule.name]?.[assignment.feature];
  if (fixed) return fixed;
  const t = assignment.terminal;
  const target = GrammarAST.isRuleCall(t) ? t.rule.ref : undefined;
  // Only a name (an ID or a datatype rule such as ModelKindName), not a nested setting.
  if (!(GrammarAST.isTerminalRule(target) || (GrammarAST.isParserRule(target) && target.dataType)))
    return undefined;
  const d = SETTINGS.find((s) => s.type.kind === 'enum' && s.rules.includes(rule.name));
  return d?.type.kind === 'enum' ? d.type.values : undefined;
}

/** `range; default …` for a completion item's detail. */
const detailOf = (d: SettingDef): string =>
  [rangeText(d), ...(d.default !== undefined ? [`default ${d.default}`] : [])].join('; ');

export class NailsCompletionProvider extends DefaultCompletionProvider {
  constructor(
    services: LangiumServices,
    private readonly settings: NailsSettings,
  ) {
    super(services);
  }

  /** A setting's keyword, with its range and default as detail and its doc as documentation. */
  protected override completionForKeyword(
    context: CompletionContext,
    keyword: GrammarAST.Keyword,
    acceptor: CompletionAcceptor,
  ): void | Promise<void> {
    const d = this.filterKeyword(context, keyword) ? settingOf(keyword) : undefined;
    if (!d) return super.completionForKeyword(context, keyword, acceptor);
    acceptor(context, {
      label: keyword.value,
      kind: CompletionItemKind.Property,
      detail: detailOf(d),
      documentation: { kind: 'markdown', value: settingSummary(d) },
      sortText: '0',
    });
  }

  protected override completionFor(
    context: CompletionContext,
    next: NextFeature,
    acceptor: CompletionAcceptor,
  ): void | Promise<void> {
    const assignment = AstUtils.getContainerOfType(next.feature, GrammarAST.isAssignment);
    const rule = AstUtils.getContainerOfType(next.feature, GrammarAST.isParserRule);
    if (rule && (rule.name === 'BlockName' || rule.name === 'BlockRef') && context.node) {
      // Parameter blocks of the model as it stands (only once per completion request).
      if (GrammarAST.isRuleCall(next.feature)) {
        this.blocks(context, acceptor);
        return;
      }
      return super.completionFor(context, next, acceptor);
    }
    if (assignment && rule) {
      if (
        (assignment.feature === 'signals' &&
          (rule.name === 'InputItem' || rule.name === 'OutputItem')) ||
        (assignment.feature === 'name' && rule.name === 'SignalRef')
      ) {
        for (const s of fileSignals(context.node, this.settings))
          acceptor(context, { label: s.name, kind: CompletionItemKind.Variable, detail: s.detail });
        return;
      }
      const values = namesFor(rule, assignment);
      if (values) {
        for (const v of values)
          acceptor(context, { label: v, kind: CompletionItemKind.EnumMember });
        return;
      }
      if (assignment.feature === 'targets' && context.node) {
        this.blocks(context, acceptor);
        for (const w of ['all', 'weights', 'x0'])
          acceptor(context, { label: w, kind: CompletionItemKind.Keyword });
        return;
      }
    }
    return super.completionFor(context, next, acceptor);
  }

  /** The parameter blocks of the model as the spec stands, with their shapes. */
  private blocks(context: CompletionContext, acceptor: CompletionAcceptor): void {
    const spec = context.node && AstUtils.getContainerOfType(context.node, ast.isSpec);
    const model = spec ? analyzeDocumentSpec(spec, this.settings).model : undefined;
    for (const b of model?.layout.blocks ?? [])
      acceptor(context, {
        label: b.name,
        kind: CompletionItemKind.Field,
        detail: `${b.rows}×${b.cols}`,
      });
  }
}
