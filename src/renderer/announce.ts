// What a screen reader hears: the moments that matter in a transfer (started, paused, a receiver done or
// failed, finished, a file received, an experiment's phase), found by comparing two store states. Counters and
// progress are not announced: they change many times a second.
import type { SenderSource } from '../shared/contract';
import type { AppState } from './store/appStore';
import { fileNameOf, formatBytes } from './format';

const SOURCE_NAMES: Record<SenderSource, string> = { demo: 'Local demo', send: 'Send' };
const LAB_PHASES: Partial<Record<string, string>> = {
  running: 'Experiment running.',
  done: 'Experiment done.',
  cancelled: 'Experiment cancelled.',
  failed: 'The experiment stopped with an error.',
};

type Watched = Pick<AppState, 'senders' | 'receivers' | 'pace' | 'lab'>;

const names = (labels: string[]): string =>
  labels.length > 3 ? `${labels.length} receivers` : labels.join(', ');

export function announcements(now: Watched, before: Watched): string[] {
  const out: string[] = [];
  for (const source of ['demo', 'send'] as const) {
    const name = SOURCE_NAMES[source];
    const a = now.senders[source]?.snapshot;
    const b = before.senders[source]?.snapshot;
    if (now.pace[source].paused !== before.pace[source].paused)
      out.push(`${name}: ${now.pace[source].paused ? 'paused' : 'resumed'}.`);
    if (!a || a === b) continue;
    if (a.running && !b?.running) out.push(`${name}: transfer started to ${a.receivers.length} receivers.`);
    const changed = (state: string): string[] =>
      a.receivers
        .filter((r, i) => r.state === state && b?.receivers[i]?.state !== state)
        .map((r) => r.receiver.label);
    const done = changed('done');
    const failed = changed('failed');
    if (done.length) out.push(`${names(done)} ${done.length === 1 ? 'has' : 'have'} the file.`);
    if (failed.length) out.push(`${names(failed)} failed.`);
    if (!a.running && b?.running) {
      if (a.error) out.push(`${name}: transfer failed: ${a.error}`);
      else if (a.result)
        out.push(
          `${name}: transfer ${a.result.cancelled ? 'cancelled' : a.result.ok ? 'complete' : 'finished with failures'}.`,
        );
    }
  }
  // Receive mode only: the local demo's receivers are the app's own, and "8 receivers have the file" said it.
  const received = now.receivers.receive;
  const earlier = before.receivers.receive;
  const fresh = (received?.completed ?? []).filter((f) => !earlier?.completed.some((p) => p.path === f.path));
  for (const f of fresh)
    out.push(`File received: ${fileNameOf(f.path)}, ${f.bytes.toLocaleString('en')} bytes.`);
  // An offer waits for a person: say so at once, or it goes unnoticed until the sender gives up.
  const offered = (received?.offers ?? []).filter((o) => !earlier?.offers.some((p) => p.id === o.id));
  if (offered.length > 3) out.push(`${offered.length} files offered: accept or decline each below.`);
  else
    for (const o of offered)
      out.push(
        o.course
          ? `${o.from} is sending a file with the course protocol: accept or decline below.`
          : `${o.from}${o.sender ? ` (${o.sender})` : ''} wants to send ${o.name}, ${formatBytes(o.size)}: accept or decline below.`,
      );
  const phase = now.lab?.status.phase;
  if (phase && phase !== before.lab?.status.phase && LAB_PHASES[phase]) out.push(LAB_PHASES[phase]!);
  return out;
}
