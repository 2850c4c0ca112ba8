// What the people of the sharing UI test (ui-sharing.mjs) have before the workbench opens, written with the built
// CLI: the user's workspace (the sample sessions, plus one holding a GitHub token), and the teammate ana's two
// shared sessions, on a store of her own mirrored through the scenario's Redis. And what ana posts while it runs.
import { join } from 'node:path';
import { seedSampleWorkspace } from '../sampleWorkspace.mjs';
import { createSession, fakeGitHubToken, localCli, teammateCli } from './sharingTeammate.mjs';

export const TEAMMATE = 'ana';
export const LIVE = 'Release 2.4 rollout';
export const QUIET = 'Flaky login test on CI';
export const DEPLOY = 'Deploy credentials';

export const TEAMMATE_SESSIONS = {
  [LIVE]: [
    { role: 'user', content: 'Starting the 2.4 canary in eu-west-1 at 5 %. I will post the numbers here as it ramps up.' },
    { role: 'assistant', content: 'Roll back if the error rate stays above 0.5 % for five minutes or p95 latency passes 400 ms. Watch the login endpoint closely: 2.4 changed its session cookie.' },
    { role: 'user', content: 'Canary at 5 %: error rate 0.02 %, p95 182 ms, no login errors.' },
  ],
  [QUIET]: [
    { role: 'user', content: 'login.spec.ts fails about one run in ten on CI with "element is not attached to the DOM". Never locally.' },
    { role: 'assistant', content: 'The form re-renders once the CSRF token arrives, so the handle to the submit button goes stale. Locate the button again right before clicking it, or wait for the token request first.' },
    { role: 'user', content: 'Locating it again fixed it: 50 CI runs green.' },
  ],
};

/** What ana posts while the scenario watches: the canary ramping up, one line a second. */
export const rolloutLine = (n) => (n < 18
  ? `Canary at ${10 + 5 * n} %: error rate ${(0.02 + (n % 3) * 0.01).toFixed(2)} %, p95 ${184 + ((n * 7) % 23)} ms.`
  : `Fully rolled out, check ${n - 17}: error rate 0.03 %, p95 ${190 + (n % 9)} ms.`);

/** Resolves with the token, ana's CLI, the workspace's CLI and the id of ana's live session. */
export async function seedSharingStores(sandbox, { redis, namespace }) {
  seedSampleWorkspace(sandbox.workspace);
  const token = fakeGitHubToken();
  const local = localCli(join(sandbox.workspace, '.multichat'));
  await createSession(local, DEPLOY, [
    { role: 'user', content: `The staging deploy fails with 401 Unauthorized. The workflow sets GITHUB_TOKEN=${token} - is its scope wrong?` },
    { role: 'assistant', content: 'A 401 means the token itself was refused (expired or revoked); a missing scope gives 403. Rotate it, and keep it in the repository secrets rather than in the workflow file.' },
  ]);
  const ana = teammateCli({ name: TEAMMATE, storeDir: join(sandbox.root, 'ana-store'), redis, namespace });
  const ids = {};
  for (const [title, messages] of Object.entries(TEAMMATE_SESSIONS)) {
    ids[title] = await createSession(ana, title, messages);
    await ana(['share', ids[title]]);
  }
  return { token, ana, local, liveId: ids[LIVE] };
}
