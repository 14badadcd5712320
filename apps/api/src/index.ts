import { startServer } from './server';

const running = await startServer().catch((err: unknown) => {
  // a refusal to start says why, in both languages, without a stack trace for the operator to read past
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
const { logger } = running;

// An orderly stop on SIGTERM / SIGINT (see RunningServer.stop); a second signal stops at once.
let stopRequested = false;
function stopThenExit(reason: string, code: number) {
  if (stopRequested) {
    logger.warn({ reason }, 'second stop request: exiting now');
    process.exit(1);
  }
  stopRequested = true;
  logger.info({ reason }, 'stop requested');
  running.stop(reason).then(
    () => process.exit(code),
    (err: unknown) => {
      logger.error({ err }, 'the stop failed');
      process.exit(1);
    },
  );
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stopThenExit(signal, 0));

// A promise nobody awaited failed, or an exception escaped every handler: a bug, after which the process's
// state is not known. It is logged with its stack and the server stops in order (uploads under way roll
// back and are marked interrupted) and exits with 1, for the service manager to start it again.
process.on('unhandledRejection', (reason) => {
  logger.fatal({ err: reason }, 'unhandled promise rejection: stopping');
  stopThenExit('unhandledRejection', 1);
});
process.on('uncaughtException', (err) => {
  logger.fatal({ err }, 'uncaught exception: stopping');
  stopThenExit('uncaughtException', 1);
});
