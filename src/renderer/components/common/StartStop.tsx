// A Start button and its Stop (or Cancel) partner. Each disables itself when pressed, which would drop keyboard
// focus to the page body; instead focus moves to the partner as soon as that one is enabled.
import { useEffect, useRef, type FocusEvent, type ReactNode } from 'react';
import { useFormHasProblem } from './CheckedForm';

interface Props {
  start: { label: ReactNode; disabled: boolean; onClick: () => void };
  stop: { label: ReactNode; disabled: boolean; onClick: () => void };
}

export function StartStop({ start, stop }: Props) {
  // A field above shows a value it refused: Start would run with another one.
  const refused = useFormHasProblem();
  const startRef = useRef<HTMLButtonElement>(null);
  const stopRef = useRef<HTMLButtonElement>(null);
  /**
   * The one of the two that has focus, or had it until it disabled itself: Chromium then moves focus to the page
   * body, with or without a blur event. Focus found there is handed to the enabled partner; a click on the page
   * itself (the button still enabled) is left alone.
   */
  const focusedRef = useRef<HTMLButtonElement | null>(null);
  /** The focus fell off a button that disabled itself and has not found an enabled one since. */
  const handingRef = useRef(false);
  useEffect(() => {
    const had = focusedRef.current;
    if (had === null) return;
    const active = document.activeElement;
    const lost = active === null || active === document.body;
    if (active === had && !had.disabled) handingRef.current = false;
    // Disabled under the focus (which stays on it, or falls to the body): the partner takes over once enabled.
    // Until then the hand-over stands, even through a render where the button that had the focus is enabled
    // again for a moment (Start demo: the demo started, its running state not in the store yet).
    else if (had.disabled && (active === had || lost)) handingRef.current = true;
    else if (!(handingRef.current && lost)) {
      focusedRef.current = null;
      handingRef.current = false;
    }
    if (!handingRef.current) return;
    // Without scrolling: the hand-over is the app's doing, at a transfer's start or end, and must not take the
    // page from the transfer being watched to the form's buttons (in a small window they are far apart).
    const partner = [startRef.current, stopRef.current].find((b) => b && b !== had && !b.disabled);
    if (partner) partner.focus({ preventScroll: true });
    else if (!had.disabled && lost) had.focus({ preventScroll: true });
  });
  const onFocus = (e: FocusEvent<HTMLButtonElement>): void => {
    focusedRef.current = e.currentTarget;
  };
  return (
    <div className="actions">
      <button
        ref={startRef}
        type="button"
        className="primary"
        disabled={start.disabled || refused}
        onClick={start.onClick}
        onFocus={onFocus}
      >
        {start.label}
      </button>
      <button ref={stopRef} type="button" disabled={stop.disabled} onClick={stop.onClick} onFocus={onFocus}>
        {stop.label}
      </button>
      {refused && !start.disabled && <p className="hint">Correct the value marked above first.</p>}
    </div>
  );
}
