// A form that knows whether one of its fields holds a value it refused. A NumberField reports only valid values, so
// without this a Start button would run with the last valid value while the field shows another (12 receivers
// typed, 3 run). Fields report through useReportProblem; StartStop stays off while any problem stands.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ComponentProps,
} from 'react';

interface Problems {
  report(id: string, bad: boolean): void;
  count: number;
}

const ProblemsContext = createContext<Problems | null>(null);

export function CheckedForm(props: ComponentProps<'form'>) {
  const [bad, setBad] = useState<ReadonlySet<string>>(new Set());
  const report = useCallback(
    (id: string, isBad: boolean) =>
      setBad((old) => {
        if (old.has(id) === isBad) return old;
        const next = new Set(old);
        if (isBad) next.add(id);
        else next.delete(id);
        return next;
      }),
    [],
  );
  const value = useMemo(() => ({ report, count: bad.size }), [report, bad]);
  return (
    <ProblemsContext.Provider value={value}>
      <form {...props} />
    </ProblemsContext.Provider>
  );
}

/** A field (by its id) says whether what it shows is refused; unmounted, it no longer counts. */
export function useReportProblem(id: string, bad: boolean): void {
  const report = useContext(ProblemsContext)?.report;
  useEffect(() => {
    report?.(id, bad);
    return () => report?.(id, false);
  }, [report, id, bad]);
}

/** Whether a field of the enclosing form shows a value it refused. */
export const useFormHasProblem = (): boolean => (useContext(ProblemsContext)?.count ?? 0) > 0;
