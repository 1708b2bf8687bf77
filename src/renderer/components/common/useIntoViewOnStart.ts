// A view started by a button at the bottom of a long form (Start listening below a dozen fields) shows at the top
// of the page, or above the form where the two stack: once it shows after a press, its top is scrolled into view.
// Only the page moves: the focus stays where the keyboard user left it.
import { useEffect, type RefObject } from 'react';

export function useIntoViewOnStart(
  ref: RefObject<HTMLElement | null>,
  /** Start presses so far: none, nothing moves (the view shown on opening the mode is where the user left it). */
  presses: number,
  shown: boolean,
): void {
  useEffect(() => {
    const top = ref.current?.getBoundingClientRect().top;
    // (A pixel's rounding is no reason to move the page.)
    if (presses > 0 && shown && top !== undefined && (top < -1 || top > window.innerHeight))
      window.scrollBy(0, top);
  }, [ref, presses, shown]);
}
