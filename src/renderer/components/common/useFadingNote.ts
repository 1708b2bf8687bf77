// A short confirmation beside a button ("Copied 10.0.0.5:7735") that goes away by itself after a few seconds,
// so it never reads as news later; an error stays until the next action.
import { useCallback, useEffect, useState } from 'react';

export const NOTE_FADES_MS = 4_000;

export function useFadingNote(): [string | null, (text: string | null, fades?: boolean) => void] {
  const [note, setNote] = useState<{ text: string | null; fades: boolean }>({ text: null, fades: false });
  useEffect(() => {
    if (!note.fades || note.text === null) return;
    const timer = setTimeout(() => setNote({ text: null, fades: false }), NOTE_FADES_MS);
    return () => clearTimeout(timer);
  }, [note]);
  // Stable, as a useState setter is: effects may use it without depending on it.
  const say = useCallback((text: string | null, fades = false) => setNote({ text, fades }), []);
  return [note.text, say];
}
