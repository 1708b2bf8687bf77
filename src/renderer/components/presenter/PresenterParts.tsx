// What both presenter modes (a live transfer's, a recording's) are made of: the bar of big counters and buttons,
// and the ? list of keys.
import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useAppStore } from '../../store/appStore';
import { toggleFullscreen, type KeyBinding } from './keys';

export function Counter({ label, value, tone }: { label: string; value: string; tone?: 'bad' | 'pace' }) {
  return (
    <div className={tone ? `presenter-counter ${tone}` : 'presenter-counter'}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/**
 * The bar over the diagram, the same in both presenter modes: the pace (or the replay's state) on the buttons'
 * row, label beside value, and the counters on a row of their own under them, the whole width of the window. The
 * counters beside the buttons wrapped into two rows at 1280x720 (three with the pace) once the buttons were a
 * recording's five; on their own row they fit one down to 1024x640, and wrap only in a narrow window.
 */
export function PresenterBar({
  state,
  counters,
  actions,
}: {
  /** The pace or the replay's state: a Counter of tone "pace". */
  state: ReactNode;
  /** Counters. */
  counters: ReactNode;
  /** Buttons, KeysAndExit last. */
  actions: ReactNode;
}) {
  return (
    <div className="presenter-bar">
      <dl className="presenter-state">{state}</dl>
      <div className="presenter-actions">{actions}</div>
      <dl className="presenter-counters">{counters}</dl>
    </div>
  );
}

/**
 * A presenter mode's keys and its ? list. `actionOf` reads a key press as one of the view's actions, `own` does
 * the view's own ones (false: a common one). Common to both: F full screen, ? the list, Esc or P out (closing the
 * list first). The list takes the focus and gives it back to its Keys button; leaving presenter mode, the focus
 * goes back to the button that opened it, not to the page's body.
 */
export function usePresenter<A extends string>(
  actionOf: (e: KeyboardEvent) => A | null,
  own: (action: A) => boolean,
) {
  const setPresenter = useAppStore((s) => s.setPresenter);
  const [help, setHelp] = useState(false);
  // The view's newest handler, read at the key press: the listener stays (a playing replay renders every frame).
  const ownRef = useRef(own);
  useEffect(() => {
    ownRef.current = own;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const action = actionOf(e);
      if (!action) return;
      e.preventDefault();
      if (ownRef.current(action)) return;
      if (action === 'fullscreen') toggleFullscreen();
      else if (action === 'help') setHelp(!help);
      else if (help) setHelp(false);
      else setPresenter(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actionOf, help, setPresenter]);
  const keysRef = useRef<HTMLButtonElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const shown = useRef(false);
  useEffect(() => {
    if (help) closeRef.current?.focus();
    else if (shown.current) keysRef.current?.focus();
    shown.current = help;
  }, [help]);
  useEffect(
    () => () =>
      void setTimeout(() => document.querySelector<HTMLButtonElement>('[data-presenter-toggle]')?.focus()),
    [],
  );
  return { help, setHelp, keysRef, closeRef };
}

/** The ? list: modal (Tab stays on Close). */
export function PresenterHelp<A extends string>({
  bindings,
  closeRef,
  onClose,
  note,
}: {
  bindings: KeyBinding<A>[];
  closeRef: RefObject<HTMLButtonElement | null>;
  onClose: () => void;
  /** A line under the keys: what else the diagram answers to here (click to lose). */
  note?: string;
}) {
  return (
    <div
      className="presenter-help"
      role="dialog"
      aria-modal="true"
      aria-labelledby="presenter-help-title"
      onKeyDown={(e) => {
        if (e.key !== 'Tab') return;
        e.preventDefault();
        closeRef.current?.focus();
      }}
    >
      <h2 id="presenter-help-title">Presenter keys</h2>
      <table>
        <tbody>
          {bindings.map((k) => (
            <tr key={k.action}>
              <th scope="row">
                {k.keys.map((key, i) => (
                  <span key={key}>
                    {i > 0 && ' '}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </th>
              <td>{k.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {note && <p className="presenter-help-note">{note}</p>}
      <button ref={closeRef} type="button" onClick={onClose}>
        Close
      </button>
    </div>
  );
}

/** The last buttons of the bar: the ? list of keys, and the way out. */
export function KeysAndExit({
  keysRef,
  onKeys,
}: {
  keysRef: RefObject<HTMLButtonElement | null>;
  onKeys: () => void;
}) {
  const setPresenter = useAppStore((s) => s.setPresenter);
  return (
    <>
      <button ref={keysRef} type="button" aria-haspopup="dialog" onClick={onKeys}>
        Keys (?)
      </button>
      <button type="button" onClick={() => setPresenter(false)}>
        Exit
      </button>
    </>
  );
}
