// What every UI scenario script (ui-*.mjs) does around its steps: survives a reader that quits early, and
// exits with the code the harness promises (0 pass, 1 a failed check, 124 the overall timeout).
import { TIMEOUT_EXIT } from './hostSession.mjs';
import { UiAssertion } from './workbenchUi.mjs';

/** Output piped into a reader that quits early (`| head`) must not crash the run before it cleans up. */
export function ignoreClosedPipes() {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error) => {
      if (error.code !== 'EPIPE') {
        throw error;
      }
    });
  }
}

/** Runs the script's `main` and exits. Step failures were reported (with a screenshot) by the step runner. */
export function runUiScript(prefix, main, { verbose = false } = {}) {
  main().then(
    () => process.exit(0),
    (error) => {
      // Anything that is not a step's failure is a harness problem: say it in one line.
      if (!(error instanceof UiAssertion) && !error.step) {
        console.error(`${prefix}: ${verbose ? error.stack : error.message}`);
      } else if (verbose) {
        console.error(error.stack);
      }
      process.exit(error.timedOut ? TIMEOUT_EXIT : 1);
    },
  );
}
