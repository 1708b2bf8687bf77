// Shared per-test reset: a fresh fake bridge, an empty store, an unmounted DOM.
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { useAppStore } from '../../src/renderer/store/appStore';

const initial = useAppStore.getState();

export function resetAfterEach(): void {
  afterEach(() => {
    cleanup();
    useAppStore.setState(initial, true);
  });
}
