import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { StoreWarning } from '../../core/store';
import { DisposableObject } from '../lifecycle';
import { FolderWarning } from '../workspaceStores';
import { listSome, nameProblems, placeName, sessionTitles } from './problemPlaces';
import { HealthDeps, repairFolders } from './verifyFolders';

/** Damaged lines are met many at a time (a file read once): one notification per store for a burst. */
const BURST_MS = 400;
const COMPONENT = 'store';
const VERIFY = 'Verify Store';
const REPAIR = 'Repair';
const ADVICE = 'Verify Store checks the store; Repair quarantines the damaged data (nothing is deleted).';

interface Burst {
  folder: vscode.WorkspaceFolder;
  warnings: StoreWarning[];
}

/**
 * Tells the user about damaged data when a store meets it, not only on Verify. Every warning goes
 * to the log; damaged records also raise a notification naming the session, with Verify Store
 * and Repair at hand. Failed background upkeep (a snapshot on a full disk) is retried by the
 * store, so it is only logged.
 */
export class StoreWarningNotifier extends DisposableObject {
  private readonly bursts = new Map<string, Burst>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: HealthDeps) {
    super();
    this._register(deps.stores.onDidWarn((warning) => this.receive(warning)));
    this._register({ dispose: () => clearTimeout(this.timer) });
  }

  private receive({ folder, warning }: FolderWarning): void {
    const session = warning.sessionId === undefined ? '' : ` (session ${warning.sessionId})`;
    const kind = warning.kind === 'corrupt' ? 'damaged data' : 'background work failed and will be retried';
    this.deps.logger.warn(COMPONENT, `${folder.name}: ${kind}: ${warning.where}${session}: ${warning.what}`);
    if (warning.kind !== 'corrupt' || this.isDisposed) {
      return;
    }
    const key = folder.uri.toString();
    const burst = this.bursts.get(key) ?? { folder, warnings: [] };
    burst.warnings.push(warning);
    this.bursts.set(key, burst);
    this.timer ??= setTimeout(() => this.flush(), BURST_MS);
  }

  private flush(): void {
    this.timer = undefined;
    const bursts = [...this.bursts.values()];
    this.bursts.clear();
    for (const burst of bursts) {
      this.notify(burst).catch((error: unknown) => this.deps.logger.error(COMPONENT, `could not report damaged data: ${describeError(error)}`));
    }
  }

  private async notify({ folder, warnings }: Burst): Promise<void> {
    const titles = await sessionTitles(await this.deps.stores.storeFor(folder));
    const choice = await vscode.window.showWarningMessage(damagedDataMessage(folder.name, warnings, titles), VERIFY, REPAIR);
    if (choice === VERIFY) {
      await vscode.commands.executeCommand('multichat.verifyStore');
    } else if (choice === REPAIR) {
      await repairFolders(this.deps, [folder]);
    }
  }
}

/**
 * `Multichat: session "Flaky CI" has a damaged record (line 5: not valid JSON). …`; a burst in one
 * session: `… has 3 damaged records (line 4: …, line 5: … and 1 more)`; in several:
 * `Multichat: 3 damaged records in the session store of ws: session "A" (…), … and 1 more. …`
 */
export function damagedDataMessage(folderName: string, warnings: readonly StoreWarning[], titles: ReadonlyMap<string, string>): string {
  const places = new Set(warnings.map((warning) => placeName(warning, titles)));
  if (places.size > 1) {
    return `Multichat: ${warnings.length} damaged records in the session store of ${folderName}: ${nameProblems(warnings, titles)}. ${ADVICE}`;
  }
  const [place] = places;
  const records = warnings.length === 1 ? 'a damaged record' : `${warnings.length} damaged records`;
  return `Multichat: ${place} has ${records} (${listSome(warnings.map((warning) => warning.what))}). ${ADVICE}`;
}
