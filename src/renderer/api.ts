// The renderer's only door to main: window.p2mp from the preload (or the E2E stand-in). call() turns an error
// result into a thrown Error so components can show its message.
import type { Channel, P2mpApi, Req, Res } from '../shared/contract';

declare global {
  interface Window {
    p2mp?: P2mpApi;
  }
}

export function api(): P2mpApi {
  if (!window.p2mp) throw new Error('the app bridge is missing (is the preload loaded?)');
  return window.p2mp;
}

export async function call<C extends Channel>(channel: C, payload: Req<C>): Promise<Res<C>> {
  const result = await api().invoke(channel, payload);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
