// Scripts run in the page (as text: the test process is compiled without the DOM's types) that measure what a
// user sees: text sizes, sideways overflow, layout shift.

/** The smallest font size (px) of any visible text under `selector`, and that text. */
export const smallestText = (selector: string): string => `(() => {
  let smallest = { px: Infinity, text: '' };
  const walker = document.createTreeWalker(document.querySelector(${JSON.stringify(selector)}), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = node.textContent.trim();
    if (!text || el.closest('.visually-hidden') || el.getClientRects().length === 0) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < smallest.px) smallest = { px, text };
  }
  return smallest;
})()`;

/** How far (px) the page is wider than the window: 0 when nothing overflows sideways. */
export const sidewaysOverflow = `document.documentElement.scrollWidth - document.documentElement.clientWidth`;

/** Starts summing layout shifts not caused by input (the CLS definition's sum, over the whole watch). */
export const WATCH_LAYOUT_SHIFT = `(() => {
  const w = window;
  w.__shift = { total: 0, sources: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      w.__shift.total += e.value;
      for (const s of e.sources ?? [])
        if (s.node) {
          // What moved, where in the page, how far and when: enough to find the cause of a failure in CI's log.
          const el = s.node.nodeType === 1 ? s.node : s.node.parentElement;
          const path = [];
          for (let x = el; x && path.length < 3; x = x.parentElement)
            path.push(x.tagName.toLowerCase() + (x.className ? '.' + String(x.className).split(' ')[0] : ''));
          const [dx, dy] = [s.currentRect.x - s.previousRect.x, s.currentRect.y - s.previousRect.y];
          w.__shift.sources.push(path.join('<') + ' by (' + Math.round(dx) + ', ' + Math.round(dy) + ') at ' +
            Math.round(e.startTime) + ' ms: ' + e.value.toFixed(4));
        }
    }
  }).observe({ type: 'layout-shift', buffered: false });
})()`;

export const layoutShift = `window.__shift`;

/** The elements (or their text) sticking out past the window's right edge, widest first: what overflows. */
export const overflowingElements = `[...document.querySelectorAll('body *')]
  .map((e) => {
    const r = e.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(e);
    return { e, right: Math.max(r.right, range.getBoundingClientRect().right) };
  })
  .filter(({ right }) => right > document.documentElement.clientWidth + 0.5)
  .filter(({ e }, _, all) => ![...e.children].some((c) => all.some((o) => o.e === c)))
  .sort((a, b) => b.right - a.right)
  .slice(0, 6)
  .map(({ e, right }) => e.tagName.toLowerCase() + '.' + String(e.className).replace(/ /g, '.') + ' ' + Math.round(right))`;

/** What measureLine gives. */
export interface LineBox {
  height: number;
  line: number;
  content: number;
  owed: number;
  /** Pixels of text cut at the right (its ellipsis): the names of the receivers owing an ACK must fit whole. */
  cut: number;
}

/** One line box high, and its content not wrapped onto a second line (a pixel of rounding allowed). */
export const isOneLine = (box: LineBox): boolean =>
  Math.abs(box.height - box.line) <= 1 && box.content <= Math.ceil(box.line) + 1;

/** Measures the element `selector`: its height, its computed line box and its content's height (px). */
const measureLine = (selector: string): string => `() => {
  const el = document.querySelector(${JSON.stringify(selector)});
  if (!el) return null;
  return {
    height: el.getBoundingClientRect().height,
    line: parseFloat(getComputedStyle(el).lineHeight),
    content: el.scrollHeight,
    owed: Number(el.dataset.owed || 0),
    cut: el.scrollWidth - el.clientWidth,
  };
}`;

/** One measure of a line that must stay one line box high (see measureLine). */
export const lineBox = (selector: string): string => `(${measureLine(selector)})()`;

/** Starts measuring `selector` every frame, keeping the tallest box and content and the most receivers owed. */
export const WATCH_LINE_BOX = (selector: string): string => `(() => {
  const measure = ${measureLine(selector)};
  const w = window;
  w.__line = { height: 0, line: Infinity, content: 0, owed: 0, cut: 0, frames: 0 };
  const tick = () => {
    const m = measure();
    const s = w.__line;
    if (m) {
      s.height = Math.max(s.height, m.height);
      s.line = Math.min(s.line, m.line);
      s.content = Math.max(s.content, m.content);
      s.owed = Math.max(s.owed, m.owed);
      s.cut = Math.max(s.cut, m.cut);
      s.frames++;
    }
    w.__lineFrame = requestAnimationFrame(tick);
  };
  tick();
})()`;

/** Stops WATCH_LINE_BOX and gives what it kept. */
export const watchedLineBox = `(cancelAnimationFrame(window.__lineFrame), window.__line)`;

/**
 * In the `index`th sequence diagram under `selector`: how many pixels down the middle of the sender window band's
 * first slot (data-window-x, data-window-cell) are in the send colour.
 */
export const sendColouredInBand = (selector: string, index: number): string => `(() => {
  const wrap = document.querySelectorAll(${JSON.stringify(`${selector} [data-testid=timeline-canvas]`)})[${index}];
  const canvas = wrap.querySelector('canvas');
  const scale = canvas.width / wrap.clientWidth;
  const x = Math.round((Number(wrap.dataset.windowX) + Number(wrap.dataset.windowCell) / 2) * scale);
  const probe = document.createElement('canvas').getContext('2d');
  probe.fillStyle = getComputedStyle(wrap).getPropertyValue('--tl-send').trim();
  probe.fillRect(0, 0, 1, 1);
  const want = probe.getImageData(0, 0, 1, 1).data;
  const column = canvas.getContext('2d').getImageData(x, 0, 1, canvas.height).data;
  let count = 0;
  for (let i = 0; i < column.length; i += 4)
    if ([0, 1, 2].every((c) => Math.abs(column[i + c] - want[c]) <= 2)) count++;
  return count;
})()`;

/** Starts keeping every text the element at `selector` shows from now on (none missed, however busy the test). */
export const WATCH_TEXTS = (selector: string): string => `(() => {
  const element = document.querySelector(${JSON.stringify(selector)});
  const shown = [element.textContent];
  (window.__texts ??= {})[${JSON.stringify(selector)}] = shown;
  new MutationObserver(() => shown.push(element.textContent)).observe(element, {
    subtree: true,
    characterData: true,
    childList: true,
  });
})()`;

export const watchedTexts = (selector: string): string => `window.__texts[${JSON.stringify(selector)}]`;

/**
 * In the frame in which the diagram draws packets in the air: the button named `button` clicked, or `key` pressed
 * `times` over (a keydown on the window, as presenter mode hears it). Resolves once pressed.
 */
export const PRESS_WHILE_IN_AIR = (press: { button: string } | { key: string; times: number }): string => `
  new Promise((resolve) => {
    const press = ${JSON.stringify(press)};
    const canvas = document.querySelector('[data-testid="timeline-canvas"]');
    const act = () => {
      if (press.button) [...document.querySelectorAll('button')].find((b) => b.textContent === press.button).click();
      else for (let i = 0; i < press.times; i++) window.dispatchEvent(new KeyboardEvent('keydown', { key: press.key }));
    };
    const frame = () => {
      if (Number(canvas.getAttribute('data-flying')) > 0) resolve(act());
      else requestAnimationFrame(frame);
    };
    frame();
  })`;

/**
 * From now until the diagram has drawn packets in the air and then none for `quietFrames` frames: the sender's
 * state line in every frame, read after the diagram drew it (its frame callback was asked for first), with how
 * many packets were drawn in the air. Resolves with `[inAir, line][]`, one per frame.
 */
export const LINE_PER_FRAME = (quietFrames: number): string => `
  new Promise((resolve) => {
    const canvas = document.querySelector('[data-testid="timeline-canvas"]');
    const frames = [];
    let flew = false;
    let quiet = 0;
    const frame = () => {
      const inAir = Number(canvas.getAttribute('data-flying'));
      frames.push([inAir, document.querySelector('[data-testid="timeline-current"] span').textContent]);
      flew ||= inAir > 0;
      quiet = flew && inAir === 0 ? quiet + 1 : 0;
      if (quiet >= ${quietFrames} || frames.length > 3000) resolve(frames);
      else requestAnimationFrame(frame);
    };
    frame();
  })`;
