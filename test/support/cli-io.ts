/** A CliIo that keeps what the CLI prints, as a non-TTY would see it. */
export function bufferIo() {
  const io = { output: '', errors: '', isTTY: false, out: (text: string) => void (io.output += text), err: (text: string) => void (io.errors += text) };
  return io;
}
