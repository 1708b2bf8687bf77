// The lane names over the diagram, shortened to the room each lane has so that lanes stay told apart: what every
// receiver's name shares (the "127.0.0." of a demo, the "lab-pc-" of a lab) says nothing about which lane it is, so
// it goes first. An address keeps its end ("…0.0.12", ".12"), a name its start ("Lab…10"); where even the part
// that differs does not fit, the names take two rows, each with twice the room; and no two lanes ever read the same.

/** What the header draws: each lane's text (the sender's first) and how many rows they take. */
export interface LaneHeader {
  names: string[];
  rows: 1 | 2;
}

const ELLIPSIS = '…';
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
/** A cut between two digits would turn "12" into "2": a different number, not a shorter one. */
const splitsNumber = (text: string, at: number): boolean => isDigit(text[at - 1]) && isDigit(text[at]);
/** An IP address, with a port or in brackets: its end tells it apart (a host name's start does). */
const isAddress = (name: string): boolean => /^\[?[\da-f.:]+\]?(:\d+)?$/i.test(name) && /\d/.test(name);

/** The port every receiver is on (the demo's one port, ":7735"), if they are several on one. */
function sharedPort(labels: string[]): string | undefined {
  const port = /:\d+$/.exec(labels[0] ?? '')?.[0];
  return port !== undefined && labels.length > 1 && labels.every((l) => l.endsWith(port)) ? port : undefined;
}

/** The receivers' names as their lanes give them: a port they all share is said once, by the sender's lane. */
export function receiverNames(labels: string[]): string[] {
  const port = sharedPort(labels);
  return port === undefined ? labels : labels.map((l) => l.slice(0, -port.length));
}

/** The sender's name and the receivers': on one port (the demo's), the port once, in the sender's name. */
function laneNames(labels: string[]): string[] {
  const port = sharedPort(labels);
  return [port === undefined ? 'Sender' : `Sender → ${port.slice(1)}`, ...receiverNames(labels)];
}

/** How long a start every name shares, not ending inside a number. */
function sharedStart(names: string[]): number {
  if (names.length < 2) return 0;
  const first = names[0]!;
  let n = 0;
  while (n < first.length && names.every((name) => name[n] === first[n])) n++;
  while (n > 0 && names.some((name) => splitsNumber(name, n))) n--;
  return n;
}

/** Shorter forms of `name`, most preferred first; `shared` is how much of its start every receiver has too. */
function shortenings(name: string, shared: number): string[] {
  const start = name.slice(0, shared);
  const own = name.slice(shared);
  const forms: string[] = [];
  const cuts = (text: string): number[] =>
    Array.from({ length: text.length - 1 }, (_, i) => i + 1).filter((at) => !splitsNumber(text, at));
  if (isAddress(name)) {
    // Less and less of the shared start before the own part, then the own part's end.
    for (const at of [...cuts(start), ...(shared > 0 ? [shared] : [])])
      forms.push(ELLIPSIS + name.slice(at).replace(/^[.:]+/, ''));
    // Then no ellipsis, only the dot (or colon) before the own part: still plainly an address's end.
    if (shared > 0) forms.push(start.slice(-1).replace(/[^.:]/, '') + own, own);
    for (const at of cuts(own)) forms.push(ELLIPSIS + own.slice(at).replace(/^[.:]+/, ''));
  } else {
    // Less and less of the shared start before the own part, then the own part's start.
    for (const at of cuts(start).reverse())
      forms.push(start.slice(0, at).replace(/[\s.:\-_/]+$/, '') + ELLIPSIS + own);
    if (shared > 0) forms.push(ELLIPSIS + own, own);
    for (const at of cuts(own).reverse()) forms.push(own.slice(0, at).trimEnd() + ELLIPSIS);
  }
  return [...new Set(forms)].filter((form) => form !== '' && form !== ELLIPSIS);
}

/** The first form that fits `room`, and whether it does (else the narrowest). */
function fit(
  forms: string[],
  room: number,
  width: (text: string) => number,
): { text: string; fits: boolean } {
  const text = forms.find((form) => width(form) <= room);
  return text === undefined ? { text: forms[forms.length - 1]!, fits: false } : { text, fits: true };
}

/**
 * Where even two rows are too narrow, the narrowest forms can coincide ("…10" for both 10.0.0.10 and 10.0.1.10,
 * "lab…" for every lab PC): each lane whose text another lane has too takes its next longer form, until none
 * is shared. A name wider than its room overlaps its neighbour's; one that says nothing would mislead.
 */
function distinct(fitted: string[], forms: string[][]): string[] {
  const names = [...fitted];
  for (let step = 0; step < Math.max(...forms.map((f) => f.length)); step++) {
    const counts = new Map<string, number>();
    for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
    if (names.every((name) => counts.get(name) === 1)) break;
    names.forEach((name, i) => {
      const at = forms[i]!.indexOf(name);
      if (counts.get(name)! > 1 && at > 0) names[i] = forms[i]![at - 1]!;
    });
  }
  return names;
}

/**
 * The lane names for `labels`, each no wider than `room(lane, rows)` where it can be: in one row while every receiver's
 * shortened name still fits and differs from the others', else in two.
 */
export function laneHeader(
  labels: string[],
  room: (lane: number, rows: 1 | 2) => number,
  width: (text: string) => number,
): LaneHeader {
  const [sender, ...receivers] = laneNames(labels);
  const shared = sharedStart(receivers);
  // The port goes first: every lane has it.
  const senderForms = [sender!, 'Sender', ...shortenings('Sender', 0)];
  const receiverForms = receivers.map((name) => [name, ...shortenings(name, shared)]);
  const layout = (rows: 1 | 2): { names: string[]; told: boolean } => {
    const fitted = receiverForms.map((forms, i) => fit(forms, room(i + 1, rows), width));
    const told = fitted.every((f) => f.fits) && new Set(fitted.map((f) => f.text)).size === fitted.length;
    return { names: [fit(senderForms, room(0, rows), width).text, ...fitted.map((f) => f.text)], told };
  };
  const one = layout(1);
  if (one.told) return { names: one.names, rows: 1 };
  const [senderName, ...receiverNames] = layout(2).names;
  return { names: [senderName!, ...distinct(receiverNames, receiverForms)], rows: 2 };
}
