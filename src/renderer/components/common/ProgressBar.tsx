// The one progress bar of the app (transfers and experiments): a bar with its percentage beside it.
export function ProgressBar({ percent, label }: { percent: number; label: string }) {
  const pct = Math.min(100, Math.max(0, percent));
  return (
    <div className="progress-row">
      <div
        className="progress-bar"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.floor(pct)}
      >
        <div className="progress-fill" style={{ transform: `scaleX(${pct / 100})` }} />
      </div>
      <span className="progress-text">{pct.toFixed(pct === 100 ? 0 : 1)}%</span>
    </div>
  );
}
