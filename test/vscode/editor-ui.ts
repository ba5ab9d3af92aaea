/**
 * Real-VS Code tests of the editor experience (issue #20 items 3, 5, 6, 8): Preview Data draws
 * every part's signals (series and point counts from the panel's state, min/max per pixel on a
 * long record); the residual analysis is drawn after a run; Compare Runs overlays the fitted
 * responses; both panels in dark, light and high-contrast themes, screenshots of each, and the
 * colours they drew with differ between themes (read from the panels' reports, not hard-coded).
 */
import { copyFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NailsApi } from '../../src/extension/extension';
import type { PreviewData, PreviewDrawn } from '../../src/protocol/data-preview';
import type { DrawnReport, DrawnResiduals } from '../../src/protocol/webview-messages';
import { sleep, until, assert, screenshot } from './util';

type Test = [string, () => Promise<void>];

/** One panel in view for a screenshot: files saved, editors and notifications closed, no side bar. */
async function clearStage(): Promise<void> {
  for (const c of [
    'workbench.action.files.saveAll',
    'workbench.action.closeAllEditors',
    'notifications.clearAll',
    'workbench.action.closeSidebar',
  ])
    await vscode.commands.executeCommand(c);
}

/** Every part's every signal drawn: all its samples held, painted, n_init shaded. */
function assertPreviewDrawn(data: PreviewData, drawn: PreviewDrawn): void {
  const expected = data.parts.reduce((s, p) => s + p.signals.length, 0);
  assert(drawn.charts.length === expected, `${drawn.charts.length} charts, expected ${expected}`);
  for (const p of data.parts)
    for (const s of p.signals) {
      const c = drawn.charts.find(
        (x) => x.kind === p.kind && x.part === p.name && x.signal === s.name,
      );
      const where = `${p.kind} ${s.role} ${s.name}`;
      assert(c, `a chart for ${where}`);
      const finite = s.values.filter((v) => v !== null).length;
      assert(
        c.points === finite && finite === p.N - s.stats.nan,
        `${where}: ${c.points} points, the part has ${p.N}`,
      );
      assert(c.shown > 0 && c.shown <= c.points + 2, `${where}: ${c.shown} points plotted`);
      assert(c.pixels > 0, `${where}: no pixels painted in its colour`);
      assert(c.nInitShaded === p.nInit, `${where}: ${c.nInitShaded} shaded, n_init ${p.nInit}`);
    }
}

export function editorUiTests(api: NailsApi, folder: string, installed: boolean): Test[] {
  const examples = path.resolve(__dirname, '..', 'examples');
  const spec = path.join(folder, 'preview-example.nails');
  let previewed: PreviewData | undefined;
  const lastPreview = (file: string, theme?: string) =>
    api
      .preview()
      ?.drawn.filter((d) => d.spec === file && (!theme || d.theme === theme))
      .pop();
  const lastRun = (runDir: string, theme?: string) =>
    api
      .results()
      ?.drawn.filter((d) => d.runDir === runDir && (!theme || d.theme === theme))
      .pop();
  const quickRun = async () => {
    const all = await api.runs.getChildren();
    const quick = all.find((r) => path.basename(r.runDir).startsWith('quick-'));
    assert(quick, 'a quick run exists (the Train test)');
    return quick.runDir;
  };
  const tests: Test[] = [
    [
      'Preview Data on the binary-output example draws each part’s input and output with n_init shaded',
      async () => {
        copyFileSync(path.join(examples, 'binary-output.nails'), spec);
        await clearStage();
        const uri = vscode.Uri.file(spec);
        await vscode.window.showTextDocument(uri);
        // No argument: the active .nails editor.
        const data = await vscode.commands.executeCommand<PreviewData | undefined>(
          'nails.previewData',
        );
        assert(data, 'the command returned the previewed data');
        assert(
          data.parts
            .map((p) => `${p.kind} ${p.range.join('..')} N ${p.N} init ${p.nInit}`)
            .join('; ') === 'train 0..1000 N 1000 init 0; test 1000..2000 N 1000 init 50',
          `parts: ${data.parts.map((p) => `${p.kind} ${p.range.join('..')} N ${p.N} init ${p.nInit}`).join('; ')}`,
        );
        const drawn = await until('the preview reports what it drew', () => lastPreview(spec));
        assertPreviewDrawn(data, drawn);
        const y = data.parts[1]!.signals.find((s) => s.role === 'output')!;
        assert(
          y.stats.min === 0 && y.stats.max === 1 && y.stats.nan === 0,
          `y1 stats ${JSON.stringify(y.stats)}`,
        );
        previewed = data;
        console.log(
          `  (preview: ${drawn.charts.map((c) => `${c.kind} ${c.signal} ${c.points} pts/${c.shown} shown/${c.pixels} px`).join('; ')})`,
        );
        if (!installed) await screenshot('data-preview');
      },
    ],
    [
      'Preview Data from a code lens argument (a URI string) on a 120,000-sample record plots min/max per pixel',
      async () => {
        const long = path.join(folder, 'preview-long.nails');
        const uri = vscode.Uri.file(long);
        await vscode.workspace.fs.writeFile(
          uri,
          Buffer.from(
            'experiment long_record\ndata {\n  generate binary_output seed 1 samples 120000\n  sampling 10 ms\n  train 0..100000\n  test 100000..120000 { init 100 }\n}\nmodel rnn { states 2 }\nloss cross_entropy\n',
          ),
        );
        const data = await vscode.commands.executeCommand<PreviewData | undefined>(
          'nails.previewData',
          uri.toString(),
        );
        assert(data?.Ts === 0.01, `Ts ${String(data?.Ts)}`);
        const drawn = await until('the long preview is drawn', () => lastPreview(long), 60000);
        assertPreviewDrawn(data, drawn);
        const train = drawn.charts.find((c) => c.kind === 'train' && c.role === 'output')!;
        assert(
          train.points === 100000 && train.shown < 3000,
          `train output: ${train.points} samples plotted as ${train.shown} points (min/max per pixel)`,
        );
      },
    ],
    [
      'the residual analysis is drawn after a run: residuals, autocorrelation and input cross-correlation with the 99 % band',
      async () => {
        const runDir = await quickRun();
        await clearStage();
        await vscode.commands.executeCommand('nails.showResults', { runDir });
        const r = await until(
          'the residual charts with the cross-correlation',
          () =>
            api
              .results()
              ?.residuals.filter(
                (d) => d.runDir === runDir && d.charts.some((c) => c.what === 'cross-correlation'),
              )
              .pop(),
          60000,
        );
        assertResiduals(r);
        api.results()?.reveal('residuals');
        await sleep(500);
        if (!installed) await screenshot('residual-analysis');
      },
    ],
    [
      'Compare Runs overlays the fitted responses of the chosen runs on the same part, with a metrics table',
      async () => {
        const all = (await api.runs.getChildren()).filter((x) =>
          path.basename(x.runDir).startsWith('queue_'),
        );
        assert(all.length >= 2, `two runs of the same data (queue_a, queue_b): ${all.length}`);
        const two = all.slice(0, 2).map((x) => x.runDir);
        await clearStage();
        await vscode.commands.executeCommand('nails.compareRuns', two);
        const cmp = api.results()?.sent.at(-1);
        assert(cmp?.type === 'compare' && cmp.runs.length === 2, 'the panel received both runs');
        const drawn = await until('the overlay charts', () =>
          api
            .results()
            ?.drawn.filter((d) => d.runDir === `compare:${two.join('|')}`)
            .pop(),
        );
        assert(drawn.charts.length >= 1, 'an overlay chart');
        for (const c of drawn.charts) {
          assert(
            c.series.length === 3,
            `${c.kind} ${c.channel}: measured + 2 runs (${c.series.map((s) => s.label).join(', ')})`,
          );
          for (const s of c.series)
            assert(
              s.points > 0 && s.pixels > 0,
              `${c.kind} ${s.label}: ${s.points} pts, ${s.pixels} px`,
            );
        }
        if (!installed) await screenshot('compare-runs');
      },
    ],
    [
      'dark, light and high-contrast themes: both panels redraw in the theme’s colours (screenshots)',
      async () => {
        assert(previewed, 'the preview test ran');
        const runDir = await quickRun();
        const config = vscode.workspace.getConfiguration('workbench');
        const before = config.get<string>('colorTheme');
        const themes = [
          ['dark', 'Default Dark Modern', 'vscode-dark'],
          ['light', 'Default Light Modern', 'vscode-light'],
          ['high-contrast', 'Default High Contrast', 'vscode-high-contrast'],
        ] as const;
        const colors: Record<
          string,
          { run: DrawnReport; preview: PreviewDrawn; residuals: DrawnResiduals }
        > = {};
        try {
          for (const [name, theme, cls] of themes) {
            await config.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
            await clearStage();
            await vscode.commands.executeCommand('nails.showResults', { runDir });
            const run = await until(
              `the results panel in ${theme}`,
              () => lastRun(runDir, cls),
              60000,
            );
            const residuals = await until(`the residuals in ${theme}`, () =>
              api
                .results()
                ?.residuals.filter((d) => d.runDir === runDir && d.theme === cls)
                .pop(),
            );
            await sleep(500);
            if (!installed) await screenshot(`results-${name}`);
            await clearStage();
            await vscode.commands.executeCommand('nails.previewData', vscode.Uri.file(spec));
            const preview = await until(
              `the preview in ${theme}`,
              () => lastPreview(spec, cls),
              60000,
            );
            assertPreviewDrawn(previewed, preview);
            await sleep(500);
            if (!installed) await screenshot(`data-preview-${name}`);
            colors[name] = { run, preview, residuals };
          }
        } finally {
          await config.update('colorTheme', before, vscode.ConfigurationTarget.Global);
        }
        for (const panel of ['run', 'preview', 'residuals'] as const) {
          const [dark, light, hc] = ['dark', 'light', 'high-contrast'].map(
            (t) => colors[t]![panel].colors ?? [],
          );
          assert(dark!.length > 0, `${panel}: colours reported`);
          // Foreground (second to last) and series colours come from the theme.
          assert(
            dark!.at(-2) !== light!.at(-2),
            `${panel}: foreground ${dark!.at(-2)} in dark and light`,
          );
          assert(
            JSON.stringify(dark) !== JSON.stringify(light),
            `${panel}: the same colours in dark and light`,
          );
          assert(
            JSON.stringify(dark) !== JSON.stringify(hc) || dark!.at(-1) !== hc!.at(-1),
            `${panel}: the same colours in dark and high contrast`,
          );
        }
        console.log(
          `  (foreground dark ${colors.dark!.run.colors!.at(-2)}, light ${colors.light!.run.colors!.at(-2)}, high contrast ${colors['high-contrast']!.run.colors!.at(-2)}; series 1 dark ${colors.dark!.run.colors![0]}, light ${colors.light!.run.colors![0]})`,
        );
      },
    ],
  ];
  return existsSync(examples) ? tests : [];
}

/** The residual analysis of the quick run's test part (n_init 20 of 1000 samples). */
function assertResiduals(r: DrawnResiduals): void {
  assert(r.kind === 'test', `the test part is analysed by default (got ${r.kind})`);
  const kinds = r.charts.map((c) => c.what).join(', ');
  assert(kinds === 'residual, autocorrelation, cross-correlation', `charts: ${kinds}`);
  const [res, auto, cross] = r.charts as [
    DrawnResiduals['charts'][number],
    DrawnResiduals['charts'][number],
    DrawnResiduals['charts'][number],
  ];
  assert(
    res.N === 980 && res.series[0]!.points === 980,
    `residuals: N ${res.N}, ${res.series[0]!.points} points (1000 − n_init 20)`,
  );
  assert(auto.series[0]!.points === 26, `autocorrelation: ${auto.series[0]!.points} lags (0…25)`);
  assert(
    cross.series[0]!.points === 51 && cross.input === 'u1',
    `cross-correlation ${cross.input}: ${cross.series[0]!.points} lags (−25…25)`,
  );
  for (const c of [auto, cross]) {
    assert(Math.abs(c.band! - 2.5758 / Math.sqrt(980)) < 1e-9, `${c.what}: band ${c.band}`);
    assert(c.series.length === 3, `${c.what}: correlation and the two band lines`);
  }
  for (const c of r.charts)
    for (const s of c.series) assert(s.pixels > 0, `${c.what} ${s.label}: no pixels painted`);
  console.log(
    `  (residuals: ${r.charts.map((c) => `${c.what} ${c.series[0]!.points} pts${c.band ? `, band ±${c.band.toPrecision(3)}, ${c.outside} lags outside` : ''}`).join('; ')})`,
  );
}
