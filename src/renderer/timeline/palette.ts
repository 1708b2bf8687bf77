// The sequence diagram's colours: CSS variables (styles.css shades Okabe-Ito hues per theme to 4.5:1 on the
// panel), read by the canvas each frame; test/e2e/a11y.test.ts checks their contrast in both themes.
export const PALETTE_VARS = {
  send: '--tl-send',
  resend: '--tl-resend',
  ack: '--tl-ack',
  drop: '--tl-drop',
  timer: '--tl-timer',
  lane: '--tl-lane',
  text: '--text',
  background: '--panel',
} as const;

export type Palette = Record<keyof typeof PALETTE_VARS, string>;
