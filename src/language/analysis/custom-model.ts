/** `model custom`: named parameters and equations, each name resolved and checked. */
import { nearest } from '../../core/data/signal-table.js';
import { NailsError } from '../../core/errors.js';
import type { Model } from '../../core/models/model.js';
import { CustomModel, type CustomModelConfig } from '../../core/models/custom-model.js';
import {
  add,
  call,
  div,
  FUNCTIONS,
  mul,
  neg,
  pow,
  sub,
  type Expr,
  type FuncName,
} from '../../core/models/expression.js';
import * as ast from '../generated/ast.js';
import { Collector, numIn } from './collector.js';
import { checkedNumber } from './setting-checks.js';
import { setting } from '../settings-schema.js';
import { modelSeed } from './model.js';

const RESERVED = /^(x|u|y)\d+$|^Ts$/;

export function analyzeCustomModel(
  s: ast.ModelSection,
  nu: number,
  ny: number,
  Ts: number | undefined,
  d: Collector,
): { config: CustomModelConfig; model?: Model; seed: number } | undefined {
  const statesE = s.entries.filter(ast.isStatesEntry)[0];
  if (!statesE) {
    d.error(s, 'a custom model needs `states n`', 'kind');
    return undefined;
  }
  const nx = checkedNumber(d, statesE, 'value', setting('model', 'states'), statesE.value);
  if (nx === undefined) return undefined;
  for (const f of s.entries.filter(ast.isFlagEntry))
    d.error(f, `\`${f.flag}\` does not apply to a custom model; write it in the equations`);
  const jitterE = s.entries.filter(ast.isJitterEntry)[0];
  const jitter = jitterE
    ? checkedNumber(d, jitterE, 'value', setting('model', 'jitter'), jitterE.value)
    : undefined;
  const seed = modelSeed(s, d);
  const params: { name: string; init: number; node: ast.ParameterDecl }[] = [];
  for (const pe of s.entries.filter(ast.isParametersEntry)) {
    for (const p of pe.parameters) {
      if (RESERVED.test(p.name) || (FUNCTIONS as readonly string[]).includes(p.name))
        d.error(
          p,
          `'${p.name}' is reserved (states x1…, inputs u1…, outputs y1…, Ts and function names); choose another name`,
          'name',
        );
      else if (params.some((q) => q.name === p.name))
        d.error(p, `parameter '${p.name}' is declared twice`, 'name');
      const init = numIn(d, p, 'init', p.init, `initial value of ${p.name}`, () => true, '');
      params.push({ name: p.name, init: init ?? 0, node: p });
    }
  }
  const names = [
    ...params.map((p) => p.name),
    ...Array.from({ length: nx }, (_, i) => `x${i + 1}`),
    ...Array.from({ length: nu }, (_, j) => `u${j + 1}`),
    ...(Ts !== undefined ? ['Ts'] : []),
  ];
  const states = new Array<Expr | undefined>(nx).fill(undefined);
  const outputs = new Array<Expr | undefined>(ny).fill(undefined);
  const toExpr = (e: ast.Expression): Expr | undefined => {
    if (ast.isNumberLit(e)) return { k: 'num', v: e.value };
    if (ast.isNegExpr(e)) {
      const a = toExpr(e.operand);
      return a && neg(a);
    }
    if (ast.isBinaryExpr(e)) {
      const a = toExpr(e.left);
      const b = toExpr(e.right);
      if (!a || !b) return undefined;
      return e.op === '+'
        ? add(a, b)
        : e.op === '-'
          ? sub(a, b)
          : e.op === '*'
            ? mul(a, b)
            : e.op === '/'
              ? div(a, b)
              : pow(a, b);
    }
    if (ast.isNameExpr(e)) {
      if (e.args.length > 0) {
        if (!(FUNCTIONS as readonly string[]).includes(e.name)) {
          const near = nearest(e.name, FUNCTIONS);
          d.error(
            e,
            `unknown function '${e.name}'${near ? ` (did you mean '${near}'?)` : ''}; use one of ${FUNCTIONS.join(', ')}`,
            'name',
          );
          return undefined;
        }
        if (e.args.length !== 1) {
          d.error(e, `${e.name} takes one argument, got ${e.args.length}`, 'name');
          return undefined;
        }
        const a = toExpr(e.args[0]!);
        return a && call(e.name as FuncName, a);
      }
      const m = /^(x|u)(\d+)$/.exec(e.name);
      if (m) {
        const i = Number(m[2]) - 1;
        const n = m[1] === 'x' ? nx : nu;
        if (i < 0 || i >= n) {
          const list = Array.from({ length: n }, (_, k) => `${m[1]}${k + 1}`).join(', ');
          d.error(
            e,
            m[1] === 'x'
              ? `the model has ${nx} state${nx > 1 ? 's' : ''}: ${list}`
              : `the data have ${nu} input${nu > 1 ? 's' : ''}: ${list}`,
            'name',
          );
          return undefined;
        }
        return { k: m[1] as 'x' | 'u', i };
      }
      if (e.name === 'Ts') {
        if (Ts === undefined) {
          d.error(e, 'Ts is used but the data section gives no `sampling` time', 'name');
          return undefined;
        }
        return { k: 'num', v: Ts };
      }
      const k = params.findIndex((p) => p.name === e.name);
      if (k < 0) {
        const near = nearest(e.name, names);
        d.error(
          e,
          `unknown name '${e.name}'${near ? ` (did you mean '${near}'?)` : ''}; declare it in \`parameters { ${e.name} = … }\``,
          'name',
        );
        return undefined;
      }
      return { k: 'p', i: k };
    }
    return undefined;
  };
  for (const m of s.entries.filter(ast.isMapEntry)) {
    m.settings.forEach((st) =>
      d.error(st, "a custom model is written as equations (`x1' = …`, `y1 = …`), not settings"),
    );
    for (const eq of m.equations) {
      const want = m.map === 'state' ? 'x' : 'y';
      const mm = new RegExp(`^${want}(\\d+)$`).exec(eq.target);
      const n = m.map === 'state' ? nx : ny;
      if (!mm || (m.map === 'state') !== eq.next) {
        d.error(
          eq,
          m.map === 'state'
            ? `state equations are written x1' = …, x2' = … (the model has ${nx} states)`
            : `output equations are written y1 = …, y2 = … (the data have ${ny} outputs)`,
          'target',
        );
        continue;
      }
      const i = Number(mm[1]) - 1;
      if (i < 0 || i >= n) {
        d.error(
          eq,
          m.map === 'state'
            ? `the model has ${nx} states: x1 … x${nx}`
            : `the data have ${ny} output${ny > 1 ? 's' : ''}: y1 … y${ny}`,
          'target',
        );
        continue;
      }
      const list = m.map === 'state' ? states : outputs;
      if (list[i]) d.error(eq, `a second equation for ${eq.target}${eq.next ? "'" : ''}`, 'target');
      const e = toExpr(eq.value);
      if (e) list[i] = e;
    }
  }
  let missing = false;
  states.forEach((e, i) => {
    if (!e) {
      missing = true;
      d.error(s, `the state equation for x${i + 1}' is missing`, 'kind');
    }
  });
  outputs.forEach((e, r) => {
    if (!e) {
      missing = true;
      d.error(s, `the output equation for y${r + 1} is missing`, 'kind');
    }
  });
  if (missing || d.errors > 0) return undefined;
  const config: CustomModelConfig = {
    kind: 'custom',
    nx,
    nu,
    ny,
    parameters: params.map(({ name, init }) => ({ name, init })),
    ...(jitter ? { jitter } : {}),
    state: states as Expr[],
    output: outputs as Expr[],
  };
  try {
    return { config, model: new CustomModel(config), seed };
  } catch (e) {
    d.error(s, e instanceof NailsError ? e.message : String(e), 'kind');
    return undefined;
  }
}
