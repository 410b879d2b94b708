/** Where a command writes; tests pass buffers, the bin passes the process streams. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  isTTY: boolean;
  /** Where the progress bar draws (cli-progress's default is stderr). */
  progressStream?: NodeJS.WritableStream;
}

export const processIo = (): CliIo => ({
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stdout.isTTY),
});

/** A failure the user can fix, said in one line; exit code 2 for bad input, 130 for Ctrl-C, 1 for everything else. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 | 130 = 1,
  ) {
    super(message);
  }
}
