// What the sequence diagram's marks mean; each one differs by more than colour (dash, head, shape, label).
// `network`: the diagram can show losses in the simulated network (the local demo with it on, a replay of one that lost something there);
// `window`: the sender window is drawn beside the sender's line (Compare); `live`: packets are drawn flying (a
// replay draws each arrow whole at its time: it has no packet in flight to explain); `selective`: Selective Repeat
// may be on it (its fast retransmission, its timer per segment): not a check's evidence, nor stop-and-wait's.
export function TimelineLegend({
  network = true,
  window = false,
  live = true,
  selective = true,
}: {
  network?: boolean;
  window?: boolean;
  live?: boolean;
  selective?: boolean;
}) {
  return (
    <p className="legend timeline-legend">
      <span className="tl-item">
        <span className="tl-key tl-send" aria-hidden="true" /> data packet, labelled with its number
      </span>
      <span className="tl-item">
        <span className="tl-key tl-resend" aria-hidden="true" /> retransmission (dashed, &ldquo;retx&rdquo;)
      </span>
      {selective && (
        <span className="tl-item">
          <span className="tl-fast" aria-hidden="true">
            »
          </span>{' '}
          fast retransmission (&ldquo;fast retx&rdquo;): before its timer expired, later segments having
          arrived
        </span>
      )}
      <span className="tl-item">
        <span className="tl-key tl-ack" aria-hidden="true" /> ACK (open head, &ldquo;ACK n&rdquo;)
      </span>
      <span className="tl-item">
        <span className="tl-cross" aria-hidden="true">
          ✕
        </span>{' '}
        lost: dropped by p at the receiver
      </span>
      {network && (
        <span className="tl-item">
          <span className="tl-cross tl-netloss" aria-hidden="true">
            ⊗
          </span>{' '}
          lost mid-way in the simulated network (data or ACK)
        </span>
      )}
      <span className="tl-item">
        <span className="tl-timerbar" aria-hidden="true" /> retransmission timer, dotted to its expiry
        {selective && ' (Selective Repeat: one per segment, side by side)'}
      </span>
      <span className="tl-item">
        <span className="tl-timer" aria-hidden="true" /> timeout (timer fired), &ldquo;seg n&rdquo;: whose
        timer
      </span>
      {live && (
        <span className="tl-item">
          <span className="tl-flying" aria-hidden="true" /> a packet in flight (at a teaching pace)
        </span>
      )}
      {window && (
        <>
          <span className="tl-item">
            <span className="tl-window" aria-hidden="true">
              <span className="tl-window-sent" />
              <span className="tl-window-sent" />
              <span />
              <span />
            </span>{' '}
            sender window, left of the sender&apos;s line: W slots from its base (written &ldquo;[5–8]&rdquo;
            where it slides), filled: sent, not yet ACKed by every receiver; empty: usable, not sent yet
          </span>
          <span className="tl-item">
            <span className="tl-window" aria-hidden="true">
              <span className="tl-window-acked" />
            </span>{' '}
            narrow bar: ACKed by all, the window waits for an older segment (Selective Repeat)
          </span>
        </>
      )}
      <span className="tl-item">
        {live ? 'Flights take' : 'Flights took'} microseconds on loopback: they are drawn with a fixed slant.
        {/* Live only: a replay, or a check's evidence, has no packet flying at a teaching pace to explain. */}
        {network &&
          live &&
          " In the demo's simulated network at a teaching pace, each packet really flies as long as it is drawn."}
      </span>
    </p>
  );
}
