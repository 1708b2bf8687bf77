// Where an element starts on the page (px from the top of the document), kept up to date as what is above it
// changes (controls wrapping, a status line appearing, the window resized): for a view that gives an element
// the rest of the screen below it. null while inactive; `active` must be false while the element is not mounted
// (the measure starts when it turns true).
import { useLayoutEffect, useState, type RefObject } from 'react';

export function usePageTop(ref: RefObject<HTMLElement | null>, active: boolean): number | null {
  const [top, setTop] = useState<number | null>(null);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!active || element === null) {
      setTop(null);
      return;
    }
    // Rounded: a fraction of a pixel from scrolling must not re-render the view.
    const measure = (): void => setTop(Math.round(element.getBoundingClientRect().top + window.scrollY));
    measure();
    // The body's size changes with anything above the element, and with the window's width; its height may change
    // nothing in the body (a root font size in vh does: the observer hears that too).
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [ref, active]);
  return top;
}
