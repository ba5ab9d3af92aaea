/**
 * Real-VS Code tests of the language server's quick fixes and code lenses (issue #20 items 1, 2,
 * 4), through VS Code's own providers API: misspelled keywords and values repaired one quick fix
 * at a time until the spec has no diagnostics; the Train lens trains the spec from the URI it
 * carries, after which the spec shows its last run's lens, which opens that run.
 */
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NailsApi } from '../../src/extension/extension';
import { until, assert } from './util';

type Test = [string, () => Promise<void>];

export function lspFeatureTests(api: NailsApi, folder: string): Test[] {
  const write = (name: string, text: string) => {
    const f = path.join(folder, name);
    writeFileSync(f, text);
    return vscode.Uri.file(f);
  };
  return [
    [
      'quick fixes repair misspelled keywords and values one diagnostic at a time',
      async () => {
        const uri = write(
          'typos.nails',
          'data {\n  generate binary_output\n  train 0..1000\n}\nmodel rnn { stats 2 state { hiden [4] activation tahn } }\nloss mse2\nsolver nailz { iteratons 5 }\n',
        );
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(doc);
        const first = await until('the diagnostics', () => {
          const ds = vscode.languages.getDiagnostics(uri);
          return ds.length === 6 ? ds : undefined;
        });
        assert(
          first.some((d) => d.message === "unknown setting 'hiden' (did you mean 'hidden'?)"),
          `the keyword diagnostic (${first.map((d) => d.message).join(' | ')})`,
        );
        for (let round = 0; round < 12; round++) {
          const d = vscode.languages.getDiagnostics(uri)[0];
          if (!d) break;
          const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider',
            uri,
            d.range,
            vscode.CodeActionKind.QuickFix.value,
          );
          // The diagnostic's own fixes come first ("Fix all" last).
          const fix = actions.find((a) => a.edit);
          assert(fix?.edit, `a quick fix for "${d.message}"`);
          const version = doc.version;
          assert(await vscode.workspace.applyEdit(fix.edit), `"${fix.title}" applied`);
          // Wait for the diagnostics of the new version.
          await until('new diagnostics', () => doc.version > version || undefined);
          await until(
            'the fixed diagnostic gone',
            () => !vscode.languages.getDiagnostics(uri).some((x) => x.message === d.message),
          );
        }
        assert(
          vscode.languages.getDiagnostics(uri).length === 0,
          `no diagnostics left: ${doc.getText()}`,
        );
        assert(
          doc.getText() ===
            'data {\n  generate binary_output\n  train 0..1000\n}\nmodel rnn { states 2 state { hidden [4] activation tanh } }\nloss mse\nsolver nailm { iterations 5 }\n',
          `the repaired spec: ${doc.getText()}`,
        );
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      },
    ],
    [
      "code lenses: Train runs the spec from the lens's URI, then the last run's lens opens it",
      async () => {
        const uri = write(
          'lens.nails',
          'experiment lens\ndata {\n  generate binary_output seed 2 samples 600\n  train 0..400\n  test 400..600 { init 10 }\n}\nmodel rnn { states 2 state { hidden [3] } output { hidden [3] final sigmoid } }\nloss cross_entropy\nsolver nailm { iterations 5 }\n',
        );
        await vscode.window.showTextDocument(uri);
        const lensesOf = () =>
          vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
        const before = await until('the code lenses', async () => {
          const ls = await lensesOf();
          return ls.length > 0 ? ls : undefined;
        });
        const titles = before.map((l) => `${l.range.start.line}:${l.command?.command}`);
        assert(
          titles.join(',') === '0:nails.train,0:nails.previewData,1:nails.previewData',
          `lenses before any run: ${titles.join(', ')}`,
        );
        const train = before[0]!.command!;
        assert(
          typeof train.arguments?.[0] === 'string' && train.arguments[0] === uri.toString(),
          `Train carries the spec's URI (${JSON.stringify(train.arguments)})`,
        );
        const outcome = await vscode.commands.executeCommand<{ runDir?: string }>(
          train.command,
          ...(train.arguments as unknown[]),
        );
        assert(
          outcome?.runDir && existsSync(path.join(outcome.runDir, 'report.json')),
          `the lens trained the spec (run folder ${String(outcome?.runDir)})`,
        );
        const last = await until('the last-run lens', async () =>
          (await lensesOf()).find((l) => l.command?.command === 'nails.showResults'),
        );
        assert(
          /^last run: test accuracy [\d.]+ % \(\d{4}-\d\d-\d\d \d\d:\d\d\)$/.test(
            last.command!.title,
          ),
          `the last-run lens title: ${last.command!.title}`,
        );
        const arg = last.command!.arguments?.[0] as { runDir?: string } | undefined;
        assert(arg?.runDir === outcome.runDir, `it opens ${outcome.runDir}`);
        await vscode.commands.executeCommand(last.command!.command, arg);
        const panel = await until('the results panel', () => api.results());
        assert(
          panel.sent.some((m) => m.type === 'run' && m.run.runDir === outcome.runDir),
          'the panel shows that run',
        );
      },
    ],
  ];
}
