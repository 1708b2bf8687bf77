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
  /** Focus left one of the two for nowhere (it disabled itself): hand it over once the other is enabled. */
  const lostRef = useRef(false);
  useEffect(() => {
    if (!lostRef.current) return;
    const active = document.activeElement;
    if (active !== null && active !== document.body) {
      lostRef.current = false;
      return;
    }
    const target = [startRef.current, stopRef.current].find((b) => b && !b.disabled);
    if (!target) return;
    target.focus();
    lostRef.current = false;
  });
  const onBlur = (e: FocusEvent): void => {
    if (e.relatedTarget === null) lostRef.current = true;
  };
  return (
    <div className="actions">
      <button
        ref={startRef}
        type="button"
        className="primary"
        disabled={start.disabled || refused}
        onClick={start.onClick}
        onBlur={onBlur}
      >
        {start.label}
      </button>
      <button ref={stopRef} type="button" disabled={stop.disabled} onClick={stop.onClick} onBlur={onBlur}>
        {stop.label}
      </button>
      {refused && !start.disabled && <p className="hint">Correct the value marked above first.</p>}
    </div>
  );
}
