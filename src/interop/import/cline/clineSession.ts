// A Cline / Roo Code task as one Multichat session: its api conversation (what the model saw and
// said) as the messages, ui_messages for the title and the times, task_metadata for the models.
// Ids come from the task id and each message's position, since Cline's messages have none.
import { Session, laterOf } from '../../../core/model';
import { SkippedParts, countSkipped } from '../importFormats';
import { DraftMessage, finishSession, isoTime, sourceId } from '../sessionDraft';
import { contentText } from './clineContent';
import { TaskFiles } from './clineFiles';
import { HistoryItem } from './clineSchema';
import { TaskClock, modelOf, taskClock } from './clineTimes';

export interface TaskIdentity {
  taskId: string;
  source: 'cline' | 'roo';
  /** The task's entry in state/taskHistory.json, when there is one. */
  history?: HistoryItem;
  /** Where the task starts when nothing in it has a time: its id as ms, else the folder's mtime. */
  fallbackStart: string;
}

/** The session, or undefined (counted) when the task holds no message worth keeping. */
export function taskSession(files: TaskFiles, task: TaskIdentity, skipped: SkippedParts): Session | undefined {
  const clock = taskClock(files.api, files.ui, task.fallbackStart);
  const messages = draftMessages(files, clock, skipped);
  if (messages.length === 0) {
    countSkipped(skipped, 'cline empty task');
    return undefined;
  }
  const typedTask = files.ui.find((message) => message.say === 'task')?.text?.trim();
  const draft = {
    id: sourceId(task.source, task.taskId),
    source: task.source,
    // The task as typed; failing that, finishSession names it from the first user message.
    title: typedTask || task.history?.task,
    createdAt: clock.start,
    updatedAt: lastActivity(clock, task.history),
    messages,
  };
  return finishSession(draft, files.apiFile);
}

function draftMessages(files: TaskFiles, clock: TaskClock, skipped: SkippedParts): DraftMessage[] {
  const messages: DraftMessage[] = [];
  for (const [index, message] of files.api.entries()) {
    const content = contentText(message, { file: files.apiFile, index, skipped });
    if (content !== '') {
      const createdAt = clock.messageTimes[index];
      const model = message.role === 'assistant' ? modelOf(message, createdAt, files.usage) : undefined;
      messages.push({ id: `m${String(index).padStart(4, '0')}`, role: message.role, content, createdAt, model });
    }
  }
  return messages;
}

/** taskHistory's ts is the task's last activity, which ui_messages may not reach (say, when cleared). */
function lastActivity(clock: TaskClock, history: HistoryItem | undefined): string | undefined {
  const historyTime = isoTime(history?.ts);
  return clock.end && historyTime ? laterOf(clock.end, historyTime) : (clock.end ?? historyTime);
}
