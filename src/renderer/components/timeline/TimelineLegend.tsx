// What the sequence diagram's strokes mean; each one differs by more than colour (dash, shape, direction).
export function TimelineLegend() {
  return (
    <p className="legend timeline-legend">
      <span className="tl-key tl-send" aria-hidden="true" /> data packet{' '}
      <span className="tl-key tl-resend" aria-hidden="true" /> retransmission (dashed){' '}
      <span className="tl-key tl-ack" aria-hidden="true" /> ACK (upward){' '}
      <span className="tl-cross" aria-hidden="true">
        ✕
      </span>{' '}
      dropped by p <span className="tl-timer" aria-hidden="true" /> timeout (timer fired)
    </p>
  );
}
