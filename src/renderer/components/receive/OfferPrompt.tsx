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
  // Focus on a prompt that goes (answered, or withdrawn by the receiver) moves to the next question, else to the
  // status line below, never back to the top of the page: when the button last focused here is the one that went
  // and nothing else has the focus since.
  const focused = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const had = focused.current;
    if (had === null || had.isConnected) return;
    focused.current = null;
    if (document.activeElement !== document.body && document.activeElement !== null) return;
    const next = section.current?.querySelector<HTMLElement>('.offer-actions button');
    (next ?? document.querySelector<HTMLElement>('.panel.live [role=status]'))?.focus();
  }, [offers]);
  const first = offers[0]?.id;
  // A new question scrolls into view (the form may have scrolled the page past it), without taking focus.
  useEffect(() => {
    if (first !== undefined) section.current?.scrollIntoView?.({ block: 'nearest' });
  }, [first]);
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
          aria-label={o.course ? `Course sender ${o.from}` : `Offer of ${o.name}`}
        >
          {o.course ? (
            // A course sender offers nothing: its address is all there is to go by.
            <p>
              <strong>{o.from}</strong> is sending a file with the course protocol: no name, size or checksum
              to show. Taken, it is saved as <code>received-…</code>; the answer stands while this address
              keeps sending.
            </p>
          ) : (
            <>
              <p>
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
