// Text of the Billbee import page (A2), English and German; spread into en.ts and de.ts under "billbee".
export const billbeeEn = {
  title: "Billbee import page",
} as const;

export const billbeeDe = {
  title: "Billbee import page",
} satisfies Record<keyof typeof billbeeEn, unknown>;
