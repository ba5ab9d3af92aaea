/**
 * Misspelled keywords: when the parser stops on a word that is close to a keyword (`hiden [8]`,
 * `iteratons 100`, `modle rnn`), the spec is parsed again reading that word as the keyword. If
 * the parse then has fewer syntax errors, that parse is kept — so later mistakes are still
 * reported and checked — and the word gets one diagnostic on its exact range: "unknown setting
 * 'hiden' (did you mean 'hidden'?)", with the replacement as its quick fix. Token offsets are the
 * text's own, so every range stays exact.
 *
 * The lexer below reads the words at given offsets as keywords for one trial parse; the parser
 * wrapper runs the trials (a bounded number) and records what it substituted per parse result.
 */
import {
  AstUtils,
  CstUtils,
  createLangiumParser,
  DefaultLexer,
  GrammarAST,
  type AstNode,
  type LangiumCoreServices,
  type LangiumParser,
  type LexerResult,
  type ParseResult,
  type TokenizeOptions,
} from 'langium';
import type { Range } from 'vscode-languageserver';

/** A word the parser read as a keyword, and where it is. */
export interface KeywordTypo {
  word: string;
  keyword: string;
  /** How the message names it: `unknown section 'modle'`, `unknown flag 'feedthru'`, … */
  kind: 'section' | 'part' | 'flag' | 'setting' | 'keyword';
  range: Range;
}

/** Trial parses allowed per document parse (a spec parses in about a millisecond). */
const TRIAL_BUDGET = 60;
const SECTION_WORDS = new Set([
  'data',
  'model',
  'loss',
  'regularize',
  'regularise',
  'constrain',
  'solver',
]);

const typosOf = new WeakMap<AstNode, KeywordTypo[]>();

/** The keyword typos the parser recovered from in the document whose root is `root`. */
export function keywordTypos(root: AstNode): readonly KeywordTypo[] {
  return typosOf.get(root) ?? [];
}

/** The diagnostic message for a recovered typo. */
export function keywordTypoMessage(t: KeywordTypo): string {
  return `unknown ${t.kind} '${t.word}' (did you mean '${t.keyword}'?)`;
}

/** A lexer that, for one parse, reads the identifiers at given offsets as keywords. */
export class KeywordRecoveryLexer extends DefaultLexer {
  /** Offset → keyword, set only around a trial parse. */
  substitutions: ReadonlyMap<number, string> | undefined;

  override tokenize(text: string, options?: TokenizeOptions): LexerResult {
    const result = super.tokenize(text, options);
    if (this.substitutions?.size) {
      for (const t of result.tokens) {
        const k = this.substitutions.get(t.startOffset);
        const type = k === undefined ? undefined : this.definition[k];
        if (type) {
          t.tokenType = type;
          t.tokenTypeIdx = type.tokenTypeIdx!;
        }
      }
    }
    return result;
  }
}

/** Edit distance counting a swap of neighbours as one edit (optimal string alignment), case-insensitive. */
export function typoDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

/** Keywords within a typo's reach of `word`, closest first (same first letter first on ties). */
function nearKeywords(word: string, keywords: readonly string[]): string[] {
  const reach = word.length <= 3 ? 1 : Math.max(2, Math.floor(word.length / 3));
  return keywords
    .map((k) => ({ k, d: typoDistance(word, k) }))
    .filter((x) => x.d > 0 && x.d <= reach)
    .sort(
      (x, y) =>
        x.d - y.d ||
        Number(y.k[0] === word[0]) - Number(x.k[0] === word[0]) ||
        keywords.indexOf(x.k) - keywords.indexOf(y.k),
    )
    .map((x) => x.k);
}

/** How a keyword is named in the message, from where the grammar uses it. */
function kindOf(result: ParseResult, offset: number, keyword: string): KeywordTypo['kind'] {
  const root = result.value.$cstNode;
  const leaf = root ? CstUtils.findLeafNodeAtOffset(root, offset) : undefined;
  const rule = leaf?.grammarSource
    ? AstUtils.getContainerOfType(leaf.grammarSource, GrammarAST.isParserRule)
    : undefined;
  if (rule?.name.endsWith('Section') && SECTION_WORDS.has(keyword)) return 'section';
  if (rule?.name === 'PartEntry' && leaf?.grammarSource && GrammarAST.isKeyword(leaf.grammarSource))
    if (['train', 'test', 'validation'].includes(keyword)) return 'part';
  if (rule?.name === 'FlagEntry' || rule?.name === 'FlagSetting') return 'flag';
  const first = leaf?.container?.content.find((c) => !c.hidden);
  return first === leaf ? 'setting' : 'keyword';
}

/** An assignment of a keyword (`flag=('feedthrough' | 'linear')`) took the word as written: correct it. */
function correctAssignedValue(result: ParseResult, offset: number, word: string, keyword: string) {
  const root = result.value.$cstNode;
  const leaf = root ? CstUtils.findLeafNodeAtOffset(root, offset) : undefined;
  const source = leaf?.grammarSource;
  const assignment = source && AstUtils.getContainerOfType(source, GrammarAST.isAssignment);
  if (!leaf || !assignment) return;
  const node = leaf.astNode as unknown as Record<string, unknown>;
  const value = node[assignment.feature];
  if (value === word) node[assignment.feature] = keyword;
  else if (Array.isArray(value)) {
    const i = value.indexOf(word);
    if (i >= 0) value[i] = keyword;
  }
}

/** Offset of a parse's first syntax error (Infinity for one at the end of the text). */
function firstError(r: ParseResult): number {
  let first = Infinity;
  for (const e of r.parserErrors) {
    const at = Number.isFinite(e.token.startOffset) ? e.token.startOffset : Infinity;
    first = Math.min(first, at);
  }
  return first;
}

/**
 * Whether a trial parse is better: fewer syntax errors, or as many but the first now after the
 * word (the next mistake in the same block, e.g. `test { inptu u outptu y }`).
 */
function better(trial: ParseResult, best: ParseResult, wordEnd: number): boolean {
  if (trial.parserErrors.length !== best.parserErrors.length)
    return trial.parserErrors.length < best.parserErrors.length;
  const after = firstError(trial);
  return after > wordEnd && firstError(best) < after;
}

/**
 * The Langium parser of `services`, whose `parse` retries misspelled keywords. `services.parser.Lexer`
 * must be a KeywordRecoveryLexer.
 */
export function createKeywordRecoveringParser(services: LangiumCoreServices): LangiumParser {
  const parser = createLangiumParser(services);
  const lexer = services.parser.Lexer;
  if (!(lexer instanceof KeywordRecoveryLexer)) return parser;
  const keywords = [
    ...new Set(
      AstUtils.streamAllContents(services.Grammar)
        .filter(GrammarAST.isKeyword)
        .map((k) => k.value)
        .filter((v) => /^[A-Za-z_]\w*$/.test(v)),
    ),
  ];
  const base = parser.parse.bind(parser);
  const trial = <T extends AstNode>(text: string, subs: Map<number, string>) => {
    lexer.substitutions = subs;
    try {
      return base<T>(text);
    } finally {
      lexer.substitutions = undefined;
    }
  };
  parser.parse = <T extends AstNode = AstNode>(
    text: string,
    options?: Parameters<LangiumParser['parse']>[1],
  ): ParseResult<T> => {
    let best = base<T>(text, options);
    if (best.parserErrors.length === 0 || options?.rule) return best;
    const tokens = lexer.tokenize(text).tokens;
    const subs = new Map<number, string>();
    const tried = new Set<number>();
    let budget = TRIAL_BUDGET;
    let improved = true;
    while (improved && best.parserErrors.length > 0 && budget > 0) {
      improved = false;
      for (const e of best.parserErrors) {
        const at = Number.isFinite(e.token.startOffset) ? e.token.startOffset : text.length;
        let i = tokens.findIndex((t) => t.startOffset >= at);
        if (i < 0) i = tokens.length;
        const candidates = [tokens[i], tokens[i - 1]].filter(
          (t) => t && t.tokenType.name === 'ID' && !tried.has(t.startOffset),
        );
        for (const t of candidates) {
          tried.add(t!.startOffset);
          for (const k of nearKeywords(t!.image, keywords)) {
            if (budget-- <= 0) break;
            const next = new Map(subs).set(t!.startOffset, k);
            const r = trial<T>(text, next);
            if (better(r, best, t!.startOffset + t!.image.length)) {
              best = r;
              subs.set(t!.startOffset, k);
              improved = true;
              break;
            }
          }
          if (improved) break;
        }
        if (improved || budget <= 0) break;
      }
    }
    if (subs.size === 0) return best;
    const typos: KeywordTypo[] = [];
    for (const t of tokens) {
      const k = subs.get(t.startOffset);
      if (k === undefined) continue;
      correctAssignedValue(best, t.startOffset, t.image, k);
      typos.push({
        word: t.image,
        keyword: k,
        kind: kindOf(best, t.startOffset, k),
        range: {
          start: { line: t.startLine! - 1, character: t.startColumn! - 1 },
          end: { line: t.endLine! - 1, character: t.endColumn! },
        },
      });
    }
    typosOf.set(best.value, typos);
    return best;
  };
  return parser;
}
