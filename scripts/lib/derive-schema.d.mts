export function derivePostgresSchema(source: string): string;
