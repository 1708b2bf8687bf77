// Whether Receive mode announces this machine on the local network, and under which name, so that a sender's
// Send view lists it (discovery; off: nothing is sent to the network but the ACKs of a transfer), and whether
// files are taken without asking, and whether only a sender with the session code shown gets in.
import { useId } from 'react';

export function AnnounceField(props: {
  announce: boolean;
  name: string | null;
  autoAccept: boolean;
  requireCode: boolean;
  onChange: (change: {
    announce?: boolean;
    receiverName?: string | null;
    autoAccept?: boolean;
    requireCode?: boolean;
  }) => void;
  disabled: boolean;
}) {
  const nameId = useId();
  return (
    <fieldset className="announce" disabled={props.disabled}>
      <legend>On the network</legend>
      <label className="check">
        <input
          type="checkbox"
          checked={props.announce}
          onChange={(e) => props.onChange({ announce: e.target.checked })}
        />{' '}
        Announce this receiver, so senders find it
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={props.autoAccept}
          onChange={(e) => props.onChange({ autoAccept: e.target.checked })}
        />{' '}
        Accept files without asking
      </label>
      {!props.requireCode && (
        // A course sender (the reference implementation, a student's own) offers nothing: a user must know what
        // it is asked about, or that its files are taken as they come.
        <p className="hint" data-testid="course-senders-hint">
          {props.autoAccept
            ? 'Course senders (no offer: the reference implementation, students\u2019 own) are taken too, with no name or checksum.'
            : 'Course senders (no offer: the reference implementation, students\u2019 own) are asked about by their address: they show no name, size or checksum.'}{' '}
          To let in only the sender you choose, require a session code.
        </p>
      )}
      <label className="check">
        <input
          type="checkbox"
          checked={props.requireCode}
          onChange={(e) => props.onChange({ requireCode: e.target.checked })}
        />{' '}
        Let in only a sender with a session code
      </label>
      <div className="field">
        <label htmlFor={nameId}>Name shown to senders</label>
        <input
          id={nameId}
          maxLength={64}
          placeholder="this computer's name"
          value={props.name ?? ''}
          disabled={!props.announce}
          onChange={(e) =>
            props.onChange({ receiverName: e.target.value.trim() === '' ? null : e.target.value })
          }
        />
      </div>
    </fieldset>
  );
}
