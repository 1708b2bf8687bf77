// Whether a CSS media query holds now, following the window as it changes (a projector plugged in, a window
// resized): for layout that must change the order of the page, not only its look, so that what is read and
// focused in order is what is seen in order.
import { useEffect, useState } from 'react';

export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const update = (): void => setMatches(list.matches);
    update();
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, [query]);
  return matches;
}
