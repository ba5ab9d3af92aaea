/**
 * A minimal LSP client for tests: starts the bundled language server (dist/language-server.cjs)
 * over stdio, sends requests and notifications, and collects the diagnostics it publishes.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Diagnostic } from 'vscode-languageserver';

type Message = {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message: string };
};

export class LspClient {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 0;
  private readonly waiting = new Map<number, (m: Message) => void>();
  private readonly diagnosticWaiters: {
    uri: string;
    /** Resolve on an empty list too (the next publication, whatever it holds). */
    anyList: boolean;
    resolve: (d: Diagnostic[]) => void;
  }[] = [];

  constructor(server: string, env: NodeJS.ProcessEnv, cwd: string) {
    this.proc = spawn(process.execPath, [server, '--stdio'], { env, cwd });
    this.proc.stdout.on('data', (d: Buffer) => this.receive(d));
  }

  private send(m: Message): void {
    const body = JSON.stringify({ jsonrpc: '2.0', ...m });
    this.proc.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  private receive(d: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, d]);
    for (;;) {
      const head = this.buffer.indexOf('\r\n\r\n');
      if (head < 0) return;
      const n = Number(/Content-Length: (\d+)/.exec(this.buffer.subarray(0, head).toString())![1]);
      if (this.buffer.length < head + 4 + n) return;
      const m = JSON.parse(this.buffer.subarray(head + 4, head + 4 + n).toString()) as Message;
      this.buffer = this.buffer.subarray(head + 4 + n);
      if (m.id !== undefined && !m.method) {
        this.waiting.get(m.id)?.(m);
        this.waiting.delete(m.id);
      } else if (m.method === 'textDocument/publishDiagnostics') {
        const p = m.params as { uri: string; diagnostics: Diagnostic[] };
        const i = this.diagnosticWaiters.findIndex(
          (w) => w.uri === p.uri && (w.anyList || p.diagnostics.length > 0),
        );
        if (i >= 0) this.diagnosticWaiters.splice(i, 1)[0]!.resolve(p.diagnostics);
      } else if (m.id !== undefined && m.method) {
        // Requests from the server (configuration, registrations): answer with nothing set.
        const items = (m.params as { items?: unknown[] } | undefined)?.items;
        this.send({
          id: m.id,
          result: m.method === 'workspace/configuration' ? (items ?? []).map(() => null) : null,
        });
      }
    }
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, (m) =>
        m.error ? reject(new Error(m.error.message)) : resolve(m.result as T),
      );
      this.send({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  /** The first non-empty diagnostics published for `uri` after this call. */
  diagnostics(uri: string, timeoutMs = 30000): Promise<Diagnostic[]> {
    return this.waitForDiagnostics(uri, false, timeoutMs);
  }

  /** The next diagnostics published for `uri` after this call, empty or not. */
  nextDiagnostics(uri: string, timeoutMs = 30000): Promise<Diagnostic[]> {
    return this.waitForDiagnostics(uri, true, timeoutMs);
  }

  private waitForDiagnostics(
    uri: string,
    anyList: boolean,
    timeoutMs: number,
  ): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no diagnostics for ${uri} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.diagnosticWaiters.push({
        uri,
        anyList,
        resolve: (d) => {
          clearTimeout(timer);
          resolve(d);
        },
      });
    });
  }

  close(): void {
    this.proc.kill();
  }
}
