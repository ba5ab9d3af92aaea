/**
 * Restricted Mode in the language server: with `readFiles` false (an untrusted workspace) the
 * checker reads neither the data file nor an `init from` file — their names get the warning that
 * says so and no diagnostic comes from their contents — while the checks that need no file still
 * run; trusted, the same spec's data are read. The trust wiring (initialization options) is tested
 * on `trustedFromInitialization`; the whole path inside VS Code in test/vscode/restricted.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { EmptyFileSystem, URI } from 'langium';
import { parseHelper } from 'langium/test';
import { analyzeSpec } from '../../src/language/analysis';
import type { Spec } from '../../src/language/generated/ast';
import { createNailsServices } from '../../src/language/nails-module';
import { followWorkspaceTrust, trustedFromInitialization } from '../../src/language/trust';
import { WORKSPACE_TRUST_NOTIFICATION } from '../../src/protocol/workspace-trust';

const { Nails } = createNailsServices(EmptyFileSystem);
const parse = parseHelper<Spec>(Nails);

const dir = mkdtempSync(path.join(tmpdir(), 'nails-restricted-'));
writeFileSync(path.join(dir, 'record.csv'), 'u,y\n1,2\n3,4\n5,6\n');
writeFileSync(path.join(dir, 'start.json'), '{"x0": [0, 0, 0]}');
const SPEC = `data {
  file "record.csv"
  train { input uu output y }
}
model rnn {
  states 2
  state { activation tahn }
  init from "start.json"
}
`;

async function messages(readFiles: boolean): Promise<string[]> {
  const doc = await parse(SPEC);
  return analyzeSpec(doc.parseResult.value, {
    specDir: dir,
    dataDirs: [],
    readFiles,
  }).diagnostics.map((d) => `${d.severity}: ${d.message}`);
}

describe('Restricted Mode in the language server', () => {
  it('untrusted: no data or init file is read, their names say so, the other checks run', async () => {
    const m = await messages(false);
    assert.ok(
      m.includes(
        "warning: 'record.csv' is not read in Restricted Mode: signal names, lengths and values are not checked until you trust this workspace",
      ),
      m.join('\n'),
    );
    assert.ok(
      m.some((x) => x.startsWith("warning: 'start.json' is not read in Restricted Mode")),
      m.join('\n'),
    );
    assert.ok(
      m.some((x) => x.includes("unknown activation 'tahn'")),
      m.join('\n'),
    );
    assert.ok(!m.some((x) => x.includes("'uu'") || x.includes('x0 has')), m.join('\n'));
  });

  it('trusted: the same spec reads its data file (the misspelt signal is found)', async () => {
    const m = await messages(true);
    assert.ok(
      m.some((x) => x.includes("'uu' is not in record.csv")),
      m.join('\n'),
    );
    assert.ok(!m.some((x) => x.includes('Restricted Mode')), m.join('\n'));
  });

  it('initialization options: false only when the client says the workspace is untrusted', () => {
    assert.equal(trustedFromInitialization({ workspaceTrusted: false }), false);
    assert.equal(trustedFromInitialization({ workspaceTrusted: true }), true);
    assert.equal(trustedFromInitialization(undefined), true);
    assert.equal(trustedFromInitialization({ other: 1 }), true);
  });

  it('initialize says untrusted, then the trust notification: open specs are checked again with their data', async () => {
    const services = createNailsServices(EmptyFileSystem);
    let onTrust: ((p: { trusted: boolean }) => Promise<void>) | undefined;
    const connection = {
      onNotification: (method: string, h: (p: { trusted: boolean }) => Promise<void>) => {
        assert.equal(method, WORKSPACE_TRUST_NOTIFICATION);
        onTrust = h;
      },
    };
    followWorkspaceTrust(
      connection as unknown as Parameters<typeof followWorkspaceTrust>[0],
      services.shared,
      services.Nails.settings,
    );
    await services.shared.lsp.LanguageServer.initialize({
      processId: null,
      rootUri: null,
      capabilities: {},
      initializationOptions: { workspaceTrusted: false },
    });
    assert.equal(services.Nails.settings.readFiles, false);
    const doc = services.shared.workspace.LangiumDocumentFactory.fromString<Spec>(
      SPEC,
      URI.file(path.join(dir, 'open.nails')),
    );
    services.shared.workspace.LangiumDocuments.addDocument(doc);
    await services.shared.workspace.DocumentBuilder.build([doc], { validation: true });
    const before = (doc.diagnostics ?? []).map((d) =>
      typeof d.message === 'string' ? d.message : d.message.value,
    );
    assert.ok(
      before.some((m) => m.includes('not read in Restricted Mode')),
      before.join('\n'),
    );
    assert.ok(onTrust, 'a handler for the trust notification');
    await onTrust({ trusted: true });
    assert.equal(services.Nails.settings.readFiles, true);
    const after = (doc.diagnostics ?? []).map((d) =>
      typeof d.message === 'string' ? d.message : d.message.value,
    );
    assert.ok(
      after.some((m) => m.includes("'uu' is not in record.csv")),
      after.join('\n'),
    );
    assert.ok(!after.some((m) => m.includes('Restricted Mode')), after.join('\n'));
  });
});
