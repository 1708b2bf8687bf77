// The simulated loss p as a slider (0-1 in steps of 0.01), usable while a transfer runs.
import { useId } from 'react';

interface Props {
  label: string;
  value: number;
  onChange: (p: number) => void;
  disabled?: boolean;
}

export function LossSlider({ label, value, onChange, disabled }: Props) {
  const id = useId();
  return (
    <div className="field loss-slider">
      <div className="slider-head">
        <label htmlFor={id}>{label}</label>
        <output aria-hidden="true">{value.toFixed(2)}</output>
      </div>
      <input
        id={id}
        type="range"
        min={0}
        max={1}
        step={0.01}
        value={value}
        disabled={disabled}
        aria-valuetext={`p = ${value.toFixed(2)}`}
        onChange={(e) => onChange(Number(e.target.value))}
      />
    </div>
  );
}
