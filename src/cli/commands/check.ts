/** `nails check spec.nails…`: the language server's diagnostics as `file:line:col: severity: message`. */
import { checkSpecFile } from '../../language/load-spec.js';

export async function runCheck(files: string[], dataDirs: string[]): Promise<number> {
  let errors = 0;
  for (const f of files) {
    const c = await checkSpecFile(f, dataDirs);
    for (const p of c.problems) process.stdout.write(`${p.text}\n`);
    errors += c.errors;
    if (c.problems.length === 0) process.stdout.write(`${f}: ok\n`);
  }
  return errors > 0 ? 1 : 0;
}
