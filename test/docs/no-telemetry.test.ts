/**
 * "No telemetry" (README): neither the sources nor the built bundles call a telemetry API — VS
 * Code's telemetry logger, the language server protocol's telemetry event, or a telemetry library
 * (Application Insights, @vscode/extension-telemetry). The bundles are what ships, so a dependency
 * that brought one in would be caught too. Needs `npm run build` (as `make test` does).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers';

/** Calls and packages that send telemetry, as they appear in source or in a bundle. */
const TELEMETRY = [
  /\bcreateTelemetryLogger\s*\(/, // vscode.env.createTelemetryLogger
  /\bisTelemetryEnabled\b/, // vscode.env.isTelemetryEnabled (only read to decide what to send)
  /\bonDidChangeTelemetryEnabled\b/,
  /\.telemetry\.logEvent\s*\(/, // vscode-languageserver: connection.telemetry.logEvent
  /\.onTelemetry\s*\(/, // vscode-languageclient: client.onTelemetry
  /applicationinsights/i,
  /@vscode\/extension-telemetry/,
  /\bTelemetryReporter\b/,
  /dc\.services\.visualstudio\.com/, // Application Insights' ingestion endpoint
];

/** The telemetry patterns found in `text` (their sources). */
function telemetryCalls(text: string): string[] {
  return TELEMETRY.filter((re) => re.test(text)).map((re) => re.source);
}

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => ext.test(f) && !f.includes('generated'))
    .map((f) => path.join(dir, f));
}

describe('no telemetry', () => {
  it('the check finds each kind of call it looks for', () => {
    assert.deepEqual(telemetryCalls('const l = vscode.env.createTelemetryLogger(sender);'), [
      TELEMETRY[0]!.source,
    ]);
    assert.equal(telemetryCalls('connection.telemetry.logEvent({ a: 1 })').length, 1);
    assert.equal(telemetryCalls("require('@vscode/extension-telemetry')").length, 1);
    assert.deepEqual(telemetryCalls('const telemetryNote = "none";'), []);
  });

  it('no source file of the extension, language server, worker or webview calls one', () => {
    const sources = [
      ...files(path.join(ROOT, 'src'), /\.ts$/),
      ...files(path.join(ROOT, 'webview'), /\.ts$/),
    ];
    assert.ok(sources.length > 50, `${sources.length} source files`);
    const found = sources.flatMap((f) =>
      telemetryCalls(readFileSync(f, 'utf8')).map((c) => `${path.relative(ROOT, f)}: ${c}`),
    );
    assert.deepEqual(found, []);
  });

  it('no built bundle that ships calls one or carries a telemetry library', () => {
    const bundles = [
      'dist/extension.cjs',
      'dist/language-server.cjs',
      'dist/worker.cjs',
      'dist/hdf5-worker.cjs',
      'dist/text-table-worker.cjs',
      'dist/cli.cjs',
      'dist/webview/results.js',
    ].map((f) => path.join(ROOT, f));
    const missing = bundles.filter((f) => !existsSync(f));
    assert.deepEqual(missing, [], 'build first (npm run build)');
    const found = bundles.flatMap((f) =>
      telemetryCalls(readFileSync(f, 'utf8')).map((c) => `${path.relative(ROOT, f)}: ${c}`),
    );
    assert.deepEqual(found, []);
  });
});
