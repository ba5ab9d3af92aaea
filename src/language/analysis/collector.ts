/** Collects diagnostics on nodes, and the number/enum checks every section uses. */
import type { AstNode } from 'langium';
import { nearest } from '../../core/data/signal-table.js';
import type { FixData } from '../fix-data.js';
import type { SpecDiagnostic } from './types.js';

/** Parses a Num token ("-2", "1e-3", "2^-4"); undefined when it is not a finite number. */
export function parseNum(text: string | number | undefined): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined;
  if (text === undefined) return undefined;
  const m = /^(-?[0-9.eE+-]+)(?:\^(-?[0-9.eE+-]+))?$/.exec(text.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  const v = m[2] === undefined ? base : base ** Number(m[2]);
  return Number.isFinite(v) ? v : undefined;
}

export class Collector {
  readonly list: SpecDiagnostic[] = [];
  error(
    node: AstNode,
    message: string,
    property?: string,
    index?: number,
    data?: FixData | FixData[],
  ): void {
    this.add('error', node, message, property, index, data);
  }
  warning(
    node: AstNode,
    message: string,
    property?: string,
    index?: number,
    data?: FixData | FixData[],
  ): void {
    this.add('warning', node, message, property, index, data);
  }
  private add(
    severity: 'error' | 'warning',
    node: AstNode,
    message: string,
    property?: string,
    index?: number,
    data?: FixData | FixData[],
  ): void {
    this.list.push({
      severity,
      message,
      node,
      ...(property ? { property } : {}),
      ...(index !== undefined ? { index } : {}),
      ...(data ? { data: Array.isArray(data) ? data : [data] } : {}),
    });
  }
  get errors(): number {
    return this.list.filter((d) => d.severity === 'error').length;
  }
}

/** The replacement fix for an unknown name: the suggestion first, then the other accepted names. */
export function replaceWith(near: string | undefined, allowed: readonly string[]): FixData {
  const rest = allowed.filter((a) => a !== near);
  return {
    fix: 'replace',
    candidates: (near ? [near, ...rest] : rest).slice(0, 8),
    suggested: near !== undefined,
  };
}

export function oneOf(
  d: Collector,
  node: AstNode,
  property: string,
  value: string | undefined,
  allowed: readonly string[],
  what: string,
): boolean {
  if (value === undefined || value === '') return false; // a syntax error the parser already reports
  if (allowed.includes(value)) return true;
  const near = nearest(value, allowed);
  d.error(
    node,
    `unknown ${what} '${value}'${near ? ` (did you mean '${near}'?)` : ''}; use one of ${allowed.join(', ')}`,
    property,
    undefined,
    replaceWith(near, allowed),
  );
  return false;
}

export function numIn(
  d: Collector,
  node: AstNode,
  property: string,
  text: string | undefined,
  what: string,
  check: (v: number) => boolean,
  rule: string,
): number | undefined {
  const v = parseNum(text);
  if (v === undefined) {
    d.error(node, `${what}: '${String(text)}' is not a number`, property);
    return undefined;
  }
  if (!check(v)) {
    d.error(node, `${what} ${rule}, got ${v}`, property);
    return undefined;
  }
  return v;
}
