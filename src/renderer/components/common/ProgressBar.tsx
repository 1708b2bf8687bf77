// The one progress bar of the app (transfers and experiments): a bar with its figure beside it.
interface Props {
  percent: number;
  label: string;
  /** The figure beside the bar, when it is not the percentage ("36/39" receivers). */
  text?: string | undefined;
  /** What the figure counts, after it ("ACKed by all 39"): a bar and a row's percentage can differ. */
  of?: string | undefined;
  /** Said after it, and the bar drawn in the failure colour: "4 of 5 failed". */
  failed?: string | undefined;
}

export function ProgressBar({ percent, label, text, of, failed }: Props) {
  const pct = Math.min(100, Math.max(0, percent));
  const figure = text ?? `${pct.toFixed(pct === 100 ? 0 : 1)}%`;
  const said = [`${figure}${of ? ` ${of}` : ''}`, ...(failed ? [failed] : [])].join(', ');
  return (
    <div className="progress-row">
      <div
        className="progress-bar"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.floor(pct)}
        {...(said !== figure ? { 'aria-valuetext': said } : {})}
      >
        <div
          className={failed ? 'progress-fill failed' : 'progress-fill'}
          style={{ transform: `scaleX(${pct / 100})` }}
        />
      </div>
      <span className="progress-text">{figure}</span>
      {of && <span className="progress-of">{of}</span>}
      {failed && <span className="progress-failed">{failed}</span>}
    </div>
  );
}
