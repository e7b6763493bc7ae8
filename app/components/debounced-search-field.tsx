import { TextField } from "@shopify/polaris";
import { memo, useEffect, useRef, useState } from "react";

/**
 * A search field that reports its value a moment after the last keystroke. It keeps the typed
 * text itself, so typing re-renders only the field, not the list below it.
 */
export const DebouncedSearchField = memo(function DebouncedSearchField({
  label,
  placeholder,
  value,
  onSearch,
  delayMs = 300,
}: {
  label: string;
  placeholder: string;
  /** The search currently applied (from the URL). */
  value: string;
  onSearch: (value: string) => void;
  delayMs?: number;
}) {
  const [text, setText] = useState(value);
  const latest = useRef(onSearch);
  latest.current = onSearch;
  // Follow the applied search when it changes from outside (back button, "clear filters").
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => latest.current(text), delayMs);
    return () => clearTimeout(timer);
  }, [text, value, delayMs]);
  return (
    <div role="search">
      <TextField
        label={label}
        labelHidden
        value={text}
        onChange={setText}
        placeholder={placeholder}
        autoComplete="off"
        clearButton
        onClearButtonClick={() => setText("")}
      />
    </div>
  );
});
