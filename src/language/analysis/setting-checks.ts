/**
 * The checks settings-schema.ts derives for a value written in a spec: a number in its range, an
 * item of a list, or a name from its closed set, each an error on the node's property with the
 * schema's message.
 */
import type { AstNode } from 'langium';
import { allowedNames, labelOf, settingProblem, type SettingDef } from '../settings-schema.js';
import { Collector, oneOf, parseNum } from './collector.js';

/** The number written for `def` when the schema allows it; otherwise an error on `property`. */
export function checkedNumber(
  d: Collector,
  node: AstNode,
  property: string,
  def: SettingDef,
  text: string | number | undefined,
  index?: number,
): number | undefined {
  const v = parseNum(text);
  const problem = settingProblem(def, v, String(text), index);
  if (problem === undefined) return v;
  d.error(node, problem, property, index);
  return undefined;
}

/** Each item of a list setting that the schema allows (errors on the others, by index). */
export function checkedList(
  d: Collector,
  node: AstNode,
  property: string,
  def: SettingDef,
  items: readonly (string | number)[],
): (number | undefined)[] {
  return items.map((t, i) => checkedNumber(d, node, property, def, t, i));
}

/** Whether `value` is one of the names `def` accepts; otherwise an error with the nearest. */
export const checkedName = (
  d: Collector,
  node: AstNode,
  property: string,
  def: SettingDef,
  value: string | undefined,
): boolean => oneOf(d, node, property, value, allowedNames(def), labelOf(def));
