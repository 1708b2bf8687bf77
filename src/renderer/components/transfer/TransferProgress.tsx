// Overall progress of a send: bar, chunks done of total, elapsed time, throughput and ETA.
import type { SenderSnapshot } from '../../../shared/contract';
import { etaMs, formatBytes, formatClock, formatRate, percent } from '../../format';
import { ProgressBar } from '../common/ProgressBar';

export function TransferProgress({ snapshot }: { snapshot: SenderSnapshot }) {
  const { chunksDone, chunks, bytesDone, fileSize, t, running } = snapshot;
  const pct = percent(chunksDone, chunks);
  const eta = running ? etaMs(bytesDone, fileSize, t) : null;
  return (
    <section className="transfer-progress" aria-label="Progress">
      <ProgressBar percent={pct} label="Transfer progress" />
      <dl className="stats">
        <div>
          <dt>Chunks</dt>
          <dd data-testid="chunks">
            {chunksDone.toLocaleString('en')} / {chunks.toLocaleString('en')}
          </dd>
        </div>
        <div>
          <dt>Data</dt>
          <dd>
            {formatBytes(bytesDone)} / {formatBytes(fileSize)}
          </dd>
        </div>
        <div>
          <dt>Elapsed</dt>
          <dd>{formatClock(t)}</dd>
        </div>
        <div>
          <dt>Throughput</dt>
          <dd>{formatRate(bytesDone, t)}</dd>
        </div>
        <div>
          <dt>ETA</dt>
          <dd>{eta === null ? '–' : formatClock(eta)}</dd>
        </div>
      </dl>
    </section>
  );
}
