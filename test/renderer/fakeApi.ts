// A stand-in for the preload's window.p2mp: canned answers per channel, recorded calls, and batch pushes.
import { act } from '@testing-library/react';
import { useAppStore } from '../../src/renderer/store/appStore';
import {
  DEFAULT_SETTINGS,
  type Channel,
  type EventBatch,
  type P2mpApi,
  type Settings,
} from '../../src/shared/contract';

type Answer = (payload: unknown) => unknown;

export interface FakeApi {
  calls: { channel: Channel; payload: unknown }[];
  answers: Partial<Record<Channel, Answer>>;
  push(batch: EventBatch): void;
}

export function installFakeApi(settings: Partial<Settings> = {}): FakeApi {
  const listeners = new Set<(batch: EventBatch) => void>();
  let stored: Settings = { ...DEFAULT_SETTINGS, ...settings };
  const fake: FakeApi = {
    calls: [],
    answers: {
      'settings:get': () => stored,
      'settings:update': (patch) => (stored = { ...stored, ...(patch as Partial<Settings>) }),
      'lab:records': () => [],
      'net:discover': () => [],
    },
    // Published at once: the store's pacing of re-renders (PUBLISH_MS) is not what these tests are about.
    push: (batch) =>
      act(() => {
        listeners.forEach((l) => l(batch));
        useAppStore.getState().flushBatches();
      }),
  };
  const api: P2mpApi = {
    invoke: async (channel, payload) => {
      fake.calls.push({ channel, payload });
      const answer = fake.answers[channel];
      try {
        return { ok: true, value: (answer ? answer(payload) : null) as never };
      } catch (error) {
        return { ok: false, error: (error as Error).message };
      }
    },
    onBatch: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    pathForFile: () => '/dropped/file.bin',
  };
  window.p2mp = api;
  return fake;
}
