/** The product mark, shared by the sign-in page and the console header. */
export function Brand({ size = "md" }: { size?: "md" | "lg" }) {
  const box = size === "lg" ? "h-10 w-10 text-base" : "h-8 w-8 text-sm";
  return (
    <span className="flex items-center gap-2.5">
      <span
        aria-hidden="true"
        className={`${box} grid place-items-center rounded-lg bg-indigo-600 font-semibold text-white shadow-sm`}
      >
        1
      </span>
      <span className={size === "lg" ? "text-xl font-semibold tracking-tight" : "font-semibold tracking-tight"}>
        Only1MCP
      </span>
    </span>
  );
}
