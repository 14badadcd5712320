/**
 * The server as a child process (the benchmarks and the fault tests start it so): its log read line by line
 * as it comes (a pipe left unread would block the server), and its address once it says it listens.
 */
import type { ChildProcess } from 'node:child_process';

/** Appends the complete lines of `stream` to `lines` as they arrive. */
export function collectLines(stream: NodeJS.ReadableStream, lines: string[]): void {
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
  });
}

/** The URL of the `listening` log line; fails (with the log) when the process exits first. */
export function untilListening(child: ChildProcess, lines: readonly string[]): Promise<string> {
  return new Promise<string>((done, fail) => {
    const timer = setInterval(() => {
      const url = lines.map(listeningUrl).find(Boolean);
      if (url) {
        clearInterval(timer);
        done(url);
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      fail(new Error(`the server exited (${code}) before listening:\n${lines.join('\n')}`));
    });
  });
}

/** The URL a `listening` log line names (the fields of a JSON line come in any order). */
function listeningUrl(line: string): string | undefined {
  if (!line.startsWith('{') || !line.includes('"listening"')) return undefined;
  try {
    const parsed = JSON.parse(line) as { message?: unknown; url?: unknown };
    return parsed.message === 'listening' && typeof parsed.url === 'string' ? parsed.url : undefined;
  } catch {
    return undefined;
  }
}
