// Filter and sort for a long receiver table: which states to show, a name or address to find, and the order.
import { useId } from 'react';
import type { SenderSource } from '../../../shared/contract';
import { useAppStore } from '../../store/appStore';
import { SHOW_OPTIONS, SORT_OPTIONS, type ReceiverViewOptions } from './receiverView';

/** A labelled select over one of the view's option sets. */
function Choice<K extends 'show' | 'sort'>(props: {
  label: string;
  field: K;
  options: Readonly<Record<ReceiverViewOptions[K], string>>;
  value: ReceiverViewOptions[K];
  onPick: (patch: Partial<ReceiverViewOptions>) => void;
}) {
  const id = useId();
  return (
    <>
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        onChange={(e) => props.onPick({ [props.field]: e.target.value } as Partial<ReceiverViewOptions>)}
      >
        {(Object.entries(props.options) as [string, string][]).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </>
  );
}

export function ReceiverFilters({
  source,
  shown,
  total,
}: {
  source: SenderSource;
  shown: number;
  total: number;
}) {
  const id = useId();
  const options = useAppStore((s) => s.receiverView[source]);
  const setView = useAppStore((s) => s.setReceiverView);
  const pick = (patch: Partial<ReceiverViewOptions>): void => setView(source, patch);
  return (
    <div className="receiver-tools" role="group" aria-label="Filter and sort receivers">
      <Choice label="Show" field="show" options={SHOW_OPTIONS} value={options.show} onPick={pick} />
      <label htmlFor={id}>Find</label>
      <input
        id={id}
        type="search"
        placeholder="Name or address"
        value={options.query}
        onChange={(e) => pick({ query: e.target.value })}
      />
      <Choice label="Sort by" field="sort" options={SORT_OPTIONS} value={options.sort} onPick={pick} />
      <span className="shown-count" data-testid="receivers-shown">
        {shown === total ? `All ${total} shown` : `${shown} of ${total} shown`}
      </span>
    </div>
  );
}
