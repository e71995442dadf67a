import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ClusterSwitch } from "./ClusterSwitch";

afterEach(cleanup);

describe("<ClusterSwitch>", () => {
  const localnet = { name: "localnet" as const, customRpc: "", customMatcher: "" };

  it("switches to devnet at once", () => {
    const onChange = vi.fn();
    render(<ClusterSwitch choice={localnet} onChange={onChange} />);
    fireEvent.change(screen.getByRole("combobox"), { target: { value: "devnet" } });
    expect(onChange).toHaveBeenCalledWith({ ...localnet, name: "devnet" });
  });

  it("takes a custom URL only once it is an http(s) URL", () => {
    const onChange = vi.fn();
    const { container } = render(<ClusterSwitch choice={localnet} onChange={onChange} />);
    fireEvent.change(screen.getByRole("combobox"), { target: { value: "custom" } });
    expect(onChange).not.toHaveBeenCalled();
    const rpc = container.querySelector('input[name="customRpc"]')!;
    fireEvent.change(rpc, { target: { value: "10.0.0.2:8899" } });
    fireEvent.click(screen.getByRole("button", { name: "Use" }));
    expect(screen.getByRole("alert").textContent).toBe(`"10.0.0.2:8899" is not a URL`);
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.change(rpc, { target: { value: " http://10.0.0.2:8899 " } });
    fireEvent.click(screen.getByRole("button", { name: "Use" }));
    expect(onChange).toHaveBeenCalledWith({ name: "custom", customRpc: "http://10.0.0.2:8899", customMatcher: "" });
  });
});
