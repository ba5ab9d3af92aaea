/**
 * Lines of a text that arrives in chunks (a file read a megabyte at a time), numbered from 1,
 * exactly as `forEachLine` numbers the lines of the whole text: split at `\n`, one trailing `\r`
 * dropped, and no empty last line after a final newline. Only the unfinished last line of a chunk
 * is kept between chunks, so a file is never held as one string.
 */
export class LineSplitter {
  private carry = '';
  private lineNo = 0;

  constructor(private readonly fn: (line: string, lineNo: number) => void) {}

  /** The next chunk of text (any length; a line may span chunks). */
  push(chunk: string): void {
    const text = this.carry === '' ? chunk : this.carry + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      this.emit(text, start, end);
      start = end + 1;
    }
    this.carry = start === 0 ? text : text.slice(start);
  }

  /** The end of the text: the last line, when it did not end in a newline. */
  end(): void {
    const last = this.carry;
    this.carry = '';
    if (last === '' || last === '\r') return;
    this.emit(last, 0, last.length);
  }

  private emit(text: string, start: number, end: number): void {
    this.lineNo++;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    this.fn(text.slice(start, stop), this.lineNo);
  }
}
