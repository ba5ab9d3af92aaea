/**
 * Extension entry: the log channel and the commands available so far. The language client,
 * training and panels arrive with their issues; this file only wires them.
 */
import * as vscode from 'vscode';
import { generateBinaryOutput } from '../core/generators/binary-output.js';
import { channelMetrics } from '../core/metrics.js';
import { rnnModel } from '../core/models/model-factory.js';
import { Random } from '../core/random.js';
import { simulate } from '../core/simulate.js';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('NAILS', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('nails.showLog', () => log.show()),
    vscode.commands.registerCommand('nails.demoBinaryOutput', async () => {
      try {
        const data = generateBinaryOutput({ seed: 3 });
        const model = rnnModel({
          nx: 3,
          nu: 1,
          ny: 1,
          state: { hidden: [5], linear: false },
          output: { hidden: [5], linear: false, final: 'sigmoid' },
        });
        const theta = model.init(new Random(3));
        const sim = simulate(model, theta, data.test.u, data.test.N, [0, 0, 0]);
        const [m] = channelMetrics(data.test.y, sim.y, 1);
        log.info(
          `binary-output example: ${model.nTheta} parameters, untrained test accuracy ${m!.accuracy.toFixed(1)} %`,
        );
        await vscode.window.showInformationMessage(
          `NAILS: binary-output example simulated (untrained test accuracy ${m!.accuracy.toFixed(1)} %).`,
        );
      } catch (e) {
        log.error(String(e));
        const choice = await vscode.window.showErrorMessage(
          `NAILS: ${(e as Error).message}`,
          'Open Log',
        );
        if (choice === 'Open Log') log.show();
      }
    }),
  );
  log.info('NAILS Studio activated');
}

export function deactivate(): void {}
