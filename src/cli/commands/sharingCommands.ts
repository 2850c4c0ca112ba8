import { Command } from 'commander';
import { MultichatError, sessionNotFound } from '../../core/errors';
import { describeFinding } from '../../core/secrets/secretScan';
import { HybridSessionStore } from '../../stores/shared/hybridStore';
import { SecretPolicy } from '../../stores/shared/sharingRecords';
import { SyncReport } from '../../stores/shared/syncEngine';
import { CliContext, SETTLE_MS, oneLine, withHybrid, writeJson, writeLine } from '../context';
import { summaryJson } from '../present';

// share, unshare, pull, sync, status, and list --shared: the local store's sessions mirrored through
// the team's Redis (--remote). Every change is durable locally before the command succeeds; Redis
// then gets a short, bounded chance, and what it does not take stays queued for the next sync.

const FINDINGS_SHOWN = 5;

export function addSharingCommands(program: Command, context: () => CliContext, setExitCode: (code: number) => void): void {
  program
    .command('share <id>')
    .description("mirror a session to the team's Redis (refused, exit 3, when it holds a credential)")
    .option('--redact', "share it with each credential replaced by a marker in the team's copy (the local copy keeps it)")
    .option('--allow-secrets', 'share it as it is, credentials and all')
    .action(async (id: string, options: { redact?: boolean; allowSecrets?: boolean }) => {
      if (options.redact && options.allowSecrets) {
        throw new MultichatError('usage', '--redact and --allow-secrets exclude each other');
      }
      const policy: SecretPolicy = options.redact ? 'redact' : options.allowSecrets ? 'allow' : 'hold';
      const ctx = context();
      await withHybrid(ctx, async (store) => {
        const outcome = await store.sharing.share(id, policy);
        if (!outcome.shared) {
          throw refusal(id, outcome.findings.map(describeFinding));
        }
        await store.sharing.settle(SETTLE_MS);
        await writeLine(ctx.stdout, `shared ${id}${queuedNote(store)}`);
      });
    });

  program
    .command('unshare <id>')
    .description("stop mirroring a session: the team's copy is removed if this store shared it; the local copy stays")
    .action(async (id: string) => {
      const ctx = context();
      await withHybrid(ctx, async (store) => {
        if (!store.sharing.stopSharing(id)) {
          await writeLine(ctx.stdout, `${id} was not shared`);
          return;
        }
        await store.sharing.settle(SETTLE_MS);
        await writeLine(ctx.stdout, `unshared ${id}${queuedNote(store)}`);
      });
    });

  program
    .command('pull <id>')
    .description("copy a session from the team's Redis into the local store and follow it")
    .action(async (id: string) => {
      const ctx = context();
      await withHybrid(ctx, async (store) => {
        await store.sharing.pull(id);
        const session = await store.get(id);
        if (!session) {
          throw sessionNotFound(id);
        }
        await writeLine(ctx.stdout, `pulled ${id} (${session.messages.length} messages)`);
      });
    });

  addSyncCommands(program, context, setExitCode);
}

function addSyncCommands(program: Command, context: () => CliContext, setExitCode: (code: number) => void): void {
  program
    .command('sync')
    .description('push what is queued and pull every mirrored session; exit 0 when nothing is left pending, 5 when Redis is unreachable')
    .option('--json', 'print {"pushed", "pulled", "pending", "remote", "held"} as JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      await withHybrid(ctx, async (store) => {
        const report = await store.sharing.sync();
        const remote = store.sharing.status().remote;
        const reachable = remote.state === 'connected';
        const held = report.held.map((each) => `session ${each.sessionId}: ${describeFinding(each.finding)}`);
        await (options.json
          ? writeJson(ctx.stdout, { ...countsOf(report), remote: reachable ? 'connected' : 'unreachable', held })
          : writeLine(ctx.stdout, `pushed ${report.pushed}, pulled ${report.pulled}, pending ${report.pending}`));
        for (const line of held) {
          ctx.stderr.write(`multichat: held back, not shared: ${line} (share it again with --redact or --allow-secrets)\n`);
        }
        if (!reachable) {
          ctx.stderr.write(`multichat: Redis is unreachable, ${report.pending} change(s) stay queued: ${remote.error ?? 'no connection'}\n`);
        }
        setExitCode(syncExitCode(reachable, report));
      });
    });

  program
    .command('status')
    .description('whether Redis answers, and how many changes wait to be pushed')
    .option('--json', 'print {"remote", "pending", "shared", "followed"} as JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      await withHybrid(ctx, async (store) => {
        await store.sharing.connect();
        const status = store.sharing.status();
        const summary = { remote: status.remote.state === 'connected' ? 'connected' : 'unreachable', pending: status.pending, shared: status.shared, followed: status.followed };
        await (options.json
          ? writeJson(ctx.stdout, summary)
          : writeLine(ctx.stdout, `remote ${summary.remote}, pending ${summary.pending}, shared ${summary.shared}, followed ${summary.followed}`));
      });
    });
}

/** `list --shared`: the team's namespace, every editor's shared sessions. */
export async function listShared(ctx: CliContext, json: boolean): Promise<void> {
  await withHybrid(ctx, async (store) => {
    const team = await store.sharing.team();
    if (json) {
      await writeJson(
        ctx.stdout,
        team.map((each) => ({ ...summaryJson(each.summary), lastAuthor: each.lastAuthor ?? null, mirrored: each.mode ?? null })),
      );
      return;
    }
    for (const each of team) {
      const { id, lastMessageAt, messageCount, title } = each.summary;
      await writeLine(ctx.stdout, [id, lastMessageAt, String(messageCount), oneLine(each.lastAuthor ?? '-'), each.mode ?? '-', oneLine(title)].join('\t'));
    }
  });
}

function countsOf(report: SyncReport): { pushed: number; pulled: number; pending: number } {
  return { pushed: report.pushed, pulled: report.pulled, pending: report.pending };
}

/** 0 all pushed; 5 Redis unreachable or failing (the outbox kept); 3 held back for credentials. */
function syncExitCode(reachable: boolean, report: SyncReport): number {
  if (!reachable) {
    return 5;
  }
  if (report.pending === 0) {
    return 0;
  }
  return report.held.length > 0 ? 3 : 5;
}

function refusal(id: string, findings: string[]): MultichatError {
  const shown = findings.slice(0, FINDINGS_SHOWN).join('; ');
  const more = findings.length > FINDINGS_SHOWN ? `; and ${findings.length - FINDINGS_SHOWN} more` : '';
  return new MultichatError(
    'invalid-input',
    `session ${id} was not shared: ${shown}${more}. Share it with --redact to replace them with markers in the team's copy, or --allow-secrets to share them`,
  );
}

function queuedNote(store: HybridSessionStore): string {
  const pending = store.sharing.status().pending;
  return pending > 0 ? ` (${pending} change(s) queued: Redis did not take them yet; "multichat sync" pushes them)` : '';
}
