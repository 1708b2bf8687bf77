// The file coming in: the name it is saved as, its size, the bytes received so far and the rate; with a size (an
// offered transfer) a percentage and a bar. Nothing reads as done before the file is kept: an offered one is
// checked against its offer's SHA-256 first, and until then the bar stops short of 100%. No ETA: the rate is the
// average since the start, and the first segments come before any timeout (7 Mbit/s, "0:00" left, at p = 0.3).
import type { ReceiverSnapshot } from '../../../shared/contract';
import { fileNameOf, formatBytes, formatRate, percent } from '../../format';
import { ProgressBar } from '../common/ProgressBar';

/** The most the bar shows before the file is kept: "99.9%", never a rounded "100%". */
const UNVERIFIED_MAX = 99.9;

interface Props {
  transfer: NonNullable<ReceiverSnapshot['transfer']>;
  /** Bytes per second over this transfer. */
  rate: number;
}

export function IncomingFile({ transfer, rate }: Props) {
  const { size, bytes, verifying } = transfer;
  const name = fileNameOf(transfer.path);
  return (
    <section className="incoming-file" aria-label="Incoming file">
      <h3>
        Receiving <strong title={transfer.path}>{name}</strong>
      </h3>
      {size !== undefined && (
        <ProgressBar percent={Math.min(percent(bytes, size), UNVERIFIED_MAX)} label={`Receiving ${name}`} />
      )}
      <dl className="stats">
        <div>
          <dt>Received</dt>
          <dd data-testid="incoming-bytes">
            {size !== undefined ? `${formatBytes(bytes)} of ${formatBytes(size)}` : formatBytes(bytes)}
          </dd>
        </div>
        <div>
          <dt>Rate</dt>
          <dd>{formatRate(rate, 1000)}</dd>
        </div>
      </dl>
      {verifying ? (
        <p className="incoming-verifying">
          All of it received: verifying its SHA-256 against the offer before keeping it.
        </p>
      ) : (
        size === undefined && (
          <p className="hint">Size unknown: a course sender does not say how large its file is.</p>
        )
      )}
    </section>
  );
}
