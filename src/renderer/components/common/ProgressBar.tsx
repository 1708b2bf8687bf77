// The one progress bar of the app (transfers and experiments): a bar with its percentage beside it.
interface Props {
  percent: number;
  label: string;
  /** Said after the percentage, and the bar drawn in the failure colour: "4 of 5 failed" (100% of what is left). */
  failed?: string | undefined;
}

export function ProgressBar({ percent, label, failed }: Props) {
  const pct = Math.min(100, Math.max(0, percent));
  const text = `${pct.toFixed(pct === 100 ? 0 : 1)}%`;
  return (
    <div className="progress-row">
      <div
        className="progress-bar"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.floor(pct)}
        {...(failed ? { 'aria-valuetext': `${text}, ${failed}` } : {})}
      >
        <div
          className={failed ? 'progress-fill failed' : 'progress-fill'}
          style={{ transform: `scaleX(${pct / 100})` }}
        />
      </div>
      <span className="progress-text">{text}</span>
      {failed && <span className="progress-failed">{failed}</span>}
    </div>
  );
}
