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
  useEffect(() => {
    const had = focusedRef.current;
    if (had === null) return;
    const active = document.activeElement;
    // Disabled under the focus (which stays on it, or falls to the body): the partner takes over once enabled.
    if (had.disabled && (active === had || active === null || active === document.body))
      [startRef.current, stopRef.current].find((b) => b && !b.disabled)?.focus();
    else if (active !== had) focusedRef.current = null;
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
