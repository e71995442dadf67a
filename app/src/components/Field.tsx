import type { ReactNode } from "react";

/** A labelled input with its error under it; `name` also names it for tests and autofill. */
export function Field(props: { label: string; name: string; value: string; onChange(value: string): void; error?: string; placeholder?: string; hint?: ReactNode; type?: string }) {
  return (
    <label className={`field${props.error ? " invalid" : ""}`}>
      <span>{props.label}</span>
      <input
        name={props.name}
        type={props.type ?? "text"}
        value={props.value}
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.error ? true : undefined}
      />
      {props.error ? <small className="error" role="alert">{props.error}</small> : props.hint ? <small>{props.hint}</small> : null}
    </label>
  );
}

/** A figure with its caption, for totals. */
export function Figure({ label, value, name }: { label: string; value: ReactNode; name?: string }) {
  return (
    <div className="figure" data-figure={name}>
      <span className="value">{value}</span>
      <span className="label">{label}</span>
    </div>
  );
}
