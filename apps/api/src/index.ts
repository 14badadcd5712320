import { startServer } from './server';

const running = await startServer().catch((err: unknown) => {
  // a refusal to start says why, in both languages, without a stack trace for the operator to read past
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});

// An orderly stop on SIGTERM / SIGINT (see RunningServer.stop); a second signal stops at once.
let stopRequested = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopRequested) {
      console.error(JSON.stringify({ level: 'warn', at: new Date().toISOString(), message: 'second stop signal: exiting now', signal }));
      process.exit(1);
    }
    stopRequested = true;
    running.stop(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}
