// Shared per-test reset: a fresh fake bridge, an empty store, an unmounted DOM.
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { useAppStore } from '../../src/renderer/store/appStore';

// findBy*/waitFor wait for what will happen (a lazily loaded screen, a batch): on a busy 2-core machine that
// can take longer than the default 1 s. They still end at the first match.
configure({ asyncUtilTimeout: 10_000 });

const initial = useAppStore.getState();

export function resetAfterEach(): void {
  afterEach(() => {
    cleanup();
    useAppStore.getState().flushBatches(); // nothing pending spills into the next test
    useAppStore.setState(initial, true);
  });
}
