import { Message } from '../../core/model';
import { SecretFinding, findSecrets, redactSession } from '../../core/secrets/secretScan';
import { SecretPolicy } from './sharingRecords';

// What may leave the machine. Every message is checked for credentials before it is pushed: under
// `hold` (the default) the first message holding one stops the session's push there, until the
// user redacts or allows it; under `redact` the pushed copy has a marker in the secret's place (the
// local copy keeps it); under `allow` it goes as written.

export interface GatedMessages {
  /** What may be pushed, in order, redacted where the policy says so. */
  messages: Message[];
  /** Ids of the messages pushed redacted. */
  redacted: string[];
  /** The finding that stopped the push (`hold`): the messages from it on stay local. */
  held?: SecretFinding;
}

export async function gateMessages(messages: readonly Message[], policy: SecretPolicy): Promise<GatedMessages> {
  if (policy === 'allow' || messages.length === 0) {
    return { messages: [...messages], redacted: [] };
  }
  const findings = await findSecrets({ title: '', messages });
  if (findings.length === 0) {
    return { messages: [...messages], redacted: [] };
  }
  if (policy === 'hold') {
    const held = findings[0];
    const stop = messages.findIndex((message) => message.id === held.messageId);
    return { messages: messages.slice(0, stop), redacted: [], held };
  }
  const redacted = redactSession({ title: '', messages: [...messages] }, findings).messages;
  return { messages: redacted, redacted: [...new Set(findings.map((finding) => finding.messageId).filter((id): id is string => id !== null))] };
}

/** The title as it may be pushed, or the finding that holds it back. */
export async function gateTitle(title: string, policy: SecretPolicy): Promise<{ title: string; held?: SecretFinding }> {
  if (policy === 'allow') {
    return { title };
  }
  const findings = (await findSecrets({ title, messages: [] })).filter((finding) => finding.messageId === null);
  if (findings.length === 0) {
    return { title };
  }
  return policy === 'hold' ? { title, held: findings[0] } : { title: redactSession({ title, messages: [] }, findings).title };
}
