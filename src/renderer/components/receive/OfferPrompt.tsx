// A sender offers a file: who, what, how big, and Accept / Decline. The data waits for the answer; the sender
// asks again every second meanwhile and gives up after a minute. A course sender offers nothing: it is asked
// about by its address, and its segments go unanswered until then (it repeats them every T).
import { useEffect, useRef, useState } from 'react';
import type { PendingOffer } from '../../../shared/events';
import { call, messageOf } from '../../api';
import { formatBytes } from '../../format';
import { ErrorNote } from '../common/ErrorNote';

export function OfferPrompt({ offers }: { offers: PendingOffer[] }) {
  const [error, setError] = useState<string | null>(null);
  const section = useRef<HTMLElement>(null);
  /** The element last focused in here: when it goes with its prompt, the focus goes on from there. */
  const focused = useRef<HTMLElement | null>(null);
  /** The question shown first when last rendered: another one there is new. */
  const shownFirst = useRef<string | undefined>(undefined);
  const first = offers[0]?.id;
  useEffect(() => {
    const isNew = first !== shownFirst.current;
    shownFirst.current = first;
    // The focus went with a prompt (answered, or withdrawn by the receiver), and is nowhere else since.
    const had = focused.current;
    const fell =
      had !== null &&
      !had.isConnected &&
      (document.activeElement === null || document.activeElement === document.body);
    if (fell) focused.current = null;
    // None left: to the status line below, never back to the top of the page.
    if (first === undefined) {
      if (fell) document.querySelector<HTMLElement>('.panel.live [role=status]')?.focus();
      return;
    }
    // A new question comes into view (the form may have scrolled the page past it) and takes the focus, so that a
    // keyboard user answers it rather than pressing Stop: on the question itself, not on Accept, so that a stray
    // Enter takes no file either (Accept and Decline are the next tab stops). Focus on another question stays.
    const prompts = section.current;
    if (isNew) prompts?.scrollIntoView?.({ block: 'nearest' });
    // Not from a field being typed in or a slider being moved: those keys are the user's, not an answer.
    if (fell || (isNew && !prompts?.contains(document.activeElement) && !inUse(document.activeElement)))
      prompts?.querySelector<HTMLElement>('.offer-prompt')?.focus({ preventScroll: true });
  }, [offers, first]);
  if (offers.length === 0) return null;
  const answer = (id: string, accept: boolean): void => {
    void call('receive:answer', { id, accept }).then(
      () => setError(null),
      (e: unknown) => setError(messageOf(e)),
    );
  };
  return (
    <section
      className="offer-prompts"
      aria-label="Files offered"
      ref={section}
      onFocus={(e) => (focused.current = e.target)}
    >
      {offers.map((o) => (
        <div
          key={o.id}
          className="offer-prompt"
          role="group"
          tabIndex={-1}
          aria-label={o.course ? `Course sender ${o.from}` : `Offer of ${o.name}`}
          aria-describedby={`offer-${o.id}`}
        >
          {o.course ? (
            // A course sender offers nothing: its address is all there is to go by.
            <p id={`offer-${o.id}`}>
              <strong>{o.from}</strong> is sending a file with the course protocol: no name, size or checksum
              to show. Taken, it is saved as <code>received-…</code>; the answer stands while this address
              keeps sending.
            </p>
          ) : (
            <>
              <p id={`offer-${o.id}`}>
                <strong>{o.from}</strong>
                {o.sender && ` (${o.sender})`} wants to send <strong>{o.name}</strong>, {formatBytes(o.size)}
              </p>
              <code className="hash" title="The file is kept only if what arrives has this SHA-256">
                SHA-256 {o.sha256}
              </code>
            </>
          )}
          <div className="offer-actions">
            <button type="button" className="primary" onClick={() => answer(o.id, true)}>
              Accept
            </button>
            <button type="button" onClick={() => answer(o.id, false)}>
              Decline
            </button>
          </div>
        </div>
      ))}
      <ErrorNote message={error} />
    </section>
  );
}

/** A control whose keys do not press anything (a text field, a slider, a list): its user is busy with it. */
function inUse(element: Element | null): boolean {
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) return true;
  return (
    element instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'submit'].includes(element.type)
  );
}
