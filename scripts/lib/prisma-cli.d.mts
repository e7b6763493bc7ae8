export function diffSchemas(provider: "sqlite" | "postgresql", fromSchemaPath: string | null, toSchemaPath: string): string;
