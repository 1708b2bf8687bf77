// What went wrong or was refused while listening: the newest note first (it is the one that matters now), and a
// Clear button, so that an old failure never reads as news.
import type { ReceiverSnapshot } from '../../../shared/contract';
import { useAppStore } from '../../store/appStore';

export function ReceiverNotes({ snapshot }: { snapshot: ReceiverSnapshot }) {
  // Notes are numbered across listening sessions; those below `cleared` were dismissed (in the store: a switch
  // to another mode and back does not bring them back).
  const cleared = useAppStore((s) => s.notesCleared);
  const setCleared = useAppStore((s) => s.clearNotes);
  const total = snapshot.failuresTotal;
  const first = total - snapshot.failures.length;
  const shown = snapshot.failures
    .map((text, i) => ({ text, n: first + i }))
    .filter(({ n }) => n >= cleared)
    .reverse();
  if (shown.length === 0) return null;
  return (
    <section className="receiver-notes" aria-label="Notes">
      {shown.map(({ text, n }) => (
        <p key={n} className="error-note">
          {text}
        </p>
      ))}
      <button type="button" onClick={() => setCleared(total)}>
        Clear {shown.length === 1 ? 'this note' : `these ${shown.length} notes`}
      </button>
    </section>
  );
}
