// Saved receiver groups ("Room 2.14"), kept in the settings: save the receivers under a name, then load a group
// in place of the list or add it to the list, rename it, delete it.
import { useEffect, useId, useRef, useState } from 'react';
import { groupNameProblem, SAVED_GROUPS_MAX, type ReceiverGroup } from '../../../shared/contract';

interface Props {
  groups: ReceiverGroup[];
  receivers: string[];
  onGroups: (groups: ReceiverGroup[]) => void;
  onReceivers: (receivers: string[]) => void;
  disabled: boolean;
}

const count = (n: number): string => (n === 1 ? '1 receiver' : `${n} receivers`);

export function SavedGroups({ groups, receivers, onGroups, onReceivers, disabled }: Props) {
  const id = useId();
  const [picked, setPicked] = useState('');
  const [name, setName] = useState('');
  /** The new name while renaming the picked group, else null. */
  const [renaming, setRenaming] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [note, setNote] = useState('');
  const group = groups.find((g) => g.name === picked) ?? null;
  // The keyboard stays where the user is: on the field that appears, back on the list when it goes.
  const pickRef = useRef<HTMLSelectElement>(null);
  const renameRef = useRef<HTMLInputElement>(null);
  const keepRef = useRef<HTMLButtonElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const step = `${renaming === null ? '' : 'renaming'}${confirmDelete ? 'confirming' : ''}`;
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) return void (firstRender.current = false);
    (renameRef.current ?? keepRef.current ?? pickRef.current ?? nameRef.current)?.focus();
  }, [step]);

  const typed = name.trim();
  const existing = groups.some((g) => g.name === typed);
  const saveProblem =
    typed === ''
      ? null
      : (groupNameProblem(typed) ??
        (!existing && groups.length >= SAVED_GROUPS_MAX
          ? `at most ${SAVED_GROUPS_MAX} groups: delete one first`
          : null));
  const save = (): void => {
    if (typed === '' || saveProblem || receivers.length === 0) return;
    const saved = { name: typed, receivers: [...receivers] };
    onGroups(existing ? groups.map((g) => (g.name === typed ? saved : g)) : [...groups, saved]);
    setPicked(typed);
    setName('');
    setNote(`${existing ? 'Replaced' : 'Saved'} "${typed}" (${count(receivers.length)}).`);
  };

  const newName = renaming?.trim() ?? '';
  const renameProblem =
    renaming === null || newName === picked
      ? null
      : (groupNameProblem(newName) ??
        (groups.some((g) => g.name === newName) ? `there is a group "${newName}" already` : null));
  const rename = (): void => {
    if (!group || renameProblem) return;
    onGroups(groups.map((g) => (g === group ? { ...g, name: newName } : g)));
    setPicked(newName);
    setRenaming(null);
    setNote(`Renamed "${group.name}" to "${newName}".`);
  };

  const load = (add: boolean): void => {
    if (!group) return;
    const fresh = group.receivers.filter((r) => !receivers.includes(r));
    onReceivers(add ? [...receivers, ...fresh] : [...group.receivers]);
    setNote(
      add
        ? `Added ${count(fresh.length)} from "${group.name}".`
        : `Loaded "${group.name}" (${count(group.receivers.length)}).`,
    );
  };
  const remove = (): void => {
    if (!group) return;
    onGroups(groups.filter((g) => g !== group));
    setPicked('');
    setConfirmDelete(false);
    setNote(`Deleted "${group.name}".`);
  };

  return (
    <fieldset className="saved-groups" disabled={disabled}>
      <legend>Saved groups</legend>
      {groups.length > 0 && (
        <div className="group-row">
          {renaming === null ? (
            <>
              <label htmlFor={`${id}-pick`} className="visually-hidden">
                Saved group
              </label>
              <select
                ref={pickRef}
                id={`${id}-pick`}
                value={picked}
                onChange={(e) => {
                  setPicked(e.target.value);
                  setConfirmDelete(false);
                }}
              >
                <option value="">Choose a group…</option>
                {groups.map((g) => (
                  <option key={g.name} value={g.name}>
                    {g.name} ({g.receivers.length})
                  </option>
                ))}
              </select>
            </>
          ) : (
            <>
              <label htmlFor={`${id}-rename`} className="visually-hidden">
                New name for &ldquo;{picked}&rdquo;
              </label>
              <input
                id={`${id}-rename`}
                value={renaming}
                ref={renameRef}
                aria-invalid={renameProblem !== null}
                onChange={(e) => setRenaming(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    rename();
                  } else if (e.key === 'Escape') setRenaming(null);
                }}
              />
              <button type="button" onClick={rename} disabled={renameProblem !== null}>
                Rename
              </button>
              <button type="button" onClick={() => setRenaming(null)}>
                Keep name
              </button>
            </>
          )}
        </div>
      )}
      {renameProblem && (
        <p className="problem" role="alert">
          {renameProblem}
        </p>
      )}
      {group && renaming === null && (
        <div className="group-row">
          {confirmDelete ? (
            <>
              <span>Delete &ldquo;{group.name}&rdquo;?</span>
              <button type="button" onClick={remove}>
                Delete group
              </button>
              <button ref={keepRef} type="button" onClick={() => setConfirmDelete(false)}>
                Keep group
              </button>
            </>
          ) : (
            <>
              <button type="button" onClick={() => load(false)}>
                Replace list
              </button>
              <button type="button" onClick={() => load(true)}>
                Add to list
              </button>
              <button type="button" onClick={() => setRenaming(group.name)}>
                Rename…
              </button>
              <button type="button" onClick={() => setConfirmDelete(true)}>
                Delete…
              </button>
            </>
          )}
        </div>
      )}
      <div className="group-row">
        <label htmlFor={`${id}-name`}>Save the receivers as</label>
        <input
          ref={nameRef}
          id={`${id}-name`}
          value={name}
          placeholder="Room 2.14"
          aria-invalid={saveProblem !== null}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              save();
            }
          }}
        />
        <button
          type="button"
          onClick={() => {
            save();
            // Saved, the name field empties and this button greys out: the keyboard goes back to the field.
            nameRef.current?.focus();
          }}
          disabled={typed === '' || saveProblem !== null || receivers.length === 0}
        >
          {existing ? 'Replace group' : 'Save group'}
        </button>
      </div>
      {saveProblem && (
        <p className="problem" role="alert">
          {saveProblem}
        </p>
      )}
      <p className="hint" role="status">
        {note}
      </p>
    </fieldset>
  );
}
