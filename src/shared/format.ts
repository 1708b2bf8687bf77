// Number formatting shared by the CLI tables and the app, so both say the same thing the same way.

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** Seconds with a precision that suits the magnitude: 0.042 s, 3.21 s, 125.3 s. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${s.toFixed(s < 1 ? 3 : s < 100 ? 2 : 1)} s`;
}

/** Throughput of payload bytes over a duration, in bits per second with an SI prefix. */
export function formatRate(bytes: number, ms: number): string {
  if (ms <= 0) return '-';
  const bps = (bytes * 8) / (ms / 1000);
  if (bps >= 1e9) return `${(bps / 1e9).toFixed(2)} Gbit/s`;
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(2)} Mbit/s`;
  if (bps >= 1e3) return `${(bps / 1e3).toFixed(1)} kbit/s`;
  return `${bps.toFixed(0)} bit/s`;
}

export function formatMs(ms: number): string {
  return ms < 1 ? ms.toFixed(3) : ms < 100 ? ms.toFixed(2) : ms.toFixed(0);
}
