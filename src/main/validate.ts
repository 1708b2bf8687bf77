// Every IPC payload is checked here, against its schema in requests.ts, before a service sees it: the renderer is
// treated as untrusted input. A check returns the typed value or throws a PayloadError whose message the renderer
// can show as is ("request.receivers[0]: ...").
import * as v from 'valibot';
import type { Channel, PreloadNote, Req, Settings } from '../shared/contract.js';
import { preloadNote, REQUESTS, SETTINGS_FIELDS } from '../shared/requests.js';

export class PayloadError extends Error {
  override name = 'PayloadError';
}

/** The first problem, after the path to the field it is about. */
function describe(issue: v.BaseIssue<unknown>, name: string): string {
  // An unexpected field is named in the message ('unexpected field "x"'), so the path stops at its object.
  const path = issue.expected === 'never' ? issue.path?.slice(0, -1) : issue.path;
  const at = (path ?? []).map((item) =>
    typeof item.key === 'number' ? `[${item.key}]` : `.${String(item.key)}`,
  );
  return `${name}${at.join('')}: ${issue.message}`;
}

export function parseRequest<C extends Channel>(channel: C, payload: unknown): Req<C> {
  const result = v.safeParse(REQUESTS[channel], payload, { abortEarly: true });
  if (!result.success) throw new PayloadError(describe(result.issues[0], 'request'));
  return result.output as Req<C>;
}

/** The preload's note, or null when there is none or it is not one (main then grants nothing). */
export function parsePreloadNote(note: unknown): PreloadNote | null {
  const result = v.safeParse(preloadNote, note);
  return result.success ? result.output : null;
}

/** Checks a stored settings file field by field, keeping the valid ones (a hand-edited file must not crash us). */
export function sanitizeSettings(raw: unknown, defaults: Settings): Settings {
  const out: Record<string, unknown> = { ...defaults };
  if (typeof raw !== 'object' || raw === null) return out as Settings;
  const record = raw as Record<string, unknown>;
  for (const [key, schema] of Object.entries(SETTINGS_FIELDS)) {
    if (!(key in record)) continue;
    const result = v.safeParse(schema, record[key]);
    if (result.success) out[key] = result.output; // else keep the default for this field
  }
  return out as Settings;
}
