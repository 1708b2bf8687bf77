// The app's one polite live region: announcements (announce.ts) gathered for a second, then read as one, so a
// burst of events (8 receivers done at once) is one announcement rather than a stream.
import { useEffect, useState } from 'react';
import { announcements } from '../announce';
import { useAppStore } from '../store/appStore';

const GATHER_MS = 1000;

export function Announcer() {
  const [text, setText] = useState('');
  useEffect(() => {
    let pending: string[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = useAppStore.subscribe((now, before) => {
      const found = announcements(now, before);
      if (found.length === 0) return;
      pending.push(...found);
      timer ??= setTimeout(() => {
        setText(pending.join(' '));
        pending = [];
        timer = null;
      }, GATHER_MS);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, []);
  return (
    <p className="visually-hidden" role="status" data-testid="announcer">
      {text}
    </p>
  );
}
