import { z } from "zod";
import {
  AddressInputSchema,
  ApiErrorSchema,
  CountsSchema,
  CustomerInputSchema,
  CustomerProfileSchema,
  CustomerPushResultSchema,
  CustomersBatchSchema,
  CustomerSummarySchema,
  FIND_QUERY_PARAMETER_SCHEMAS,
  FindCustomersResultSchema,
  IdentitySchema,
  LineItemInputSchema,
  MAX_BATCH_ITEMS,
  MoneySchema,
  OrderCustomerInputSchema,
  OrderInputSchema,
  OrderPushResultSchema,
  OrdersBatchSchema,
  OrderStatusInputSchema,
} from "./import-api-schemas";

/**
 * The import API's OpenAPI 3.1 document, generated from the zod schemas that validate requests
 * and shape responses (import-api-schemas.ts): request bodies as zod reads them (io "input",
 * so defaults are optional), responses as the API writes them (io "output").
 */

type JsonSchema = Record<string, unknown>;

const REF = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function schemasOf(entries: Record<string, z.ZodType>, io: "input" | "output"): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(entries)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io,
    uri: (id) => `#/components/schemas/${id}`,
    override: (ctx) => {
      // A refinement JSON Schema cannot see: an order's customer needs a sourceId or an e-mail.
      if (ctx.zodSchema === OrderCustomerInputSchema) ctx.jsonSchema.anyOf = [{ required: ["sourceId"] }, { required: ["email"] }];
    },
  });
  // Each generated schema carries its own $schema and $id; inside one document those would
  // start new resources and break the #/components refs.
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as JsonSchema;
      return [id, rest];
    }),
  );
}

function parameterSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input" }) as JsonSchema;
  return rest;
}

const json = (schema: object) => ({ "application/json": { schema } });
const errorResponse = (description: string, headers?: object) => ({ description, ...(headers ? { headers } : {}), content: json(REF("ApiError")) });

export function buildOpenApiDocument({ serverUrl }: { serverUrl: string }) {
  const requestSchemas = schemasOf(
    {
      AddressInput: AddressInputSchema,
      CustomerInput: CustomerInputSchema,
      OrderCustomerInput: OrderCustomerInputSchema,
      LineItemInput: LineItemInputSchema,
      OrderStatusInput: OrderStatusInputSchema,
      OrderInput: OrderInputSchema,
      CustomersBatch: CustomersBatchSchema,
      OrdersBatch: OrdersBatchSchema,
    },
    "input",
  );
  const responseSchemas = schemasOf(
    {
      Money: MoneySchema,
      Counts: CountsSchema,
      Identity: IdentitySchema,
      CustomerSummary: CustomerSummarySchema,
      FindCustomersResult: FindCustomersResultSchema,
      CustomerPushResult: CustomerPushResultSchema,
      OrderPushResult: OrderPushResultSchema,
      CustomerProfile: CustomerProfileSchema,
      ApiError: ApiErrorSchema,
    },
    "output",
  );

  const pushResponses = (result: string) => ({
    "200": { description: "Written in one transaction; one result per item, in request order.", content: json(REF(result)) },
    "400": { $ref: "#/components/responses/MalformedJson" },
    "401": { $ref: "#/components/responses/Unauthorized" },
    "405": { $ref: "#/components/responses/MethodNotAllowed" },
    "413": { $ref: "#/components/responses/PayloadTooLarge" },
    "415": { $ref: "#/components/responses/UnsupportedMediaType" },
    "422": { $ref: "#/components/responses/ValidationFailed" },
  });

  return {
    openapi: "3.1.0",
    info: {
      title: "LetterLoop import API",
      version: "1.0.0",
      description: [
        "Push customers and orders from any system into LetterLoop, and read a customer's whole profile.",
        "",
        "- **Authentication:** `Authorization: Bearer llk_…` with a key created in LetterLoop's Settings (shown once). A missing, wrong or revoked key gets 401.",
        `- **Batches:** 1 to ${MAX_BATCH_ITEMS} items per request, written in one transaction: all or nothing. Invalid data gets 422 naming each bad field (\`orders.3.total\`), and nothing is written.`,
        "- **Idempotent:** records are keyed by their `sourceId`. Posting the same data again changes nothing (`skipped`); changed data updates the record. With `updatedAt`, an older version never overwrites a newer one.",
        "- **One person, one customer:** a customer with the same e-mail as one from Shopify, Billbee or a CSV file becomes one customer with an identity per source.",
        "- **Live orders:** only an order sent with `\"live\": true` may trigger the after-purchase letter. Pushing history with the default `false` never mails anyone.",
        "- **Amounts** are decimal strings with the currency's minor digits (`\"49.90\"` EUR, `\"1200\"` JPY). Orders in a currency other than the shop's count in the statistics once the merchant sets an exchange rate.",
        "- **Checkouts** (abandoned and recovered carts) exist only for customers known from Shopify; for others the list is empty.",
      ].join("\n"),
    },
    servers: [{ url: serverUrl }],
    security: [{ bearerAuth: [] }],
    paths: {
      "/api/v1/customers": {
        get: {
          operationId: "findCustomers",
          summary: "Find customers by e-mail or by source id",
          description: "Give either `email`, or `source` and `sourceId`. Without either the answer is 400.",
          parameters: [
            { name: "email", in: "query", required: false, description: "Case-insensitive e-mail.", schema: parameterSchema(FIND_QUERY_PARAMETER_SCHEMAS.email) },
            { name: "source", in: "query", required: false, description: "The source of `sourceId`.", schema: parameterSchema(FIND_QUERY_PARAMETER_SCHEMAS.source) },
            { name: "sourceId", in: "query", required: false, description: "The customer's id in that source.", schema: parameterSchema(FIND_QUERY_PARAMETER_SCHEMAS.sourceId) },
          ],
          responses: {
            "200": { description: "The matching customers (an empty list when none).", content: json(REF("FindCustomersResult")) },
            "400": { $ref: "#/components/responses/BadRequest" },
            "401": { $ref: "#/components/responses/Unauthorized" },
          },
        },
        post: {
          operationId: "pushCustomers",
          summary: "Create or update customers",
          requestBody: { required: true, content: json(REF("CustomersBatch")) },
          responses: pushResponses("CustomerPushResult"),
        },
      },
      "/api/v1/customers/{customerId}": {
        get: {
          operationId: "getCustomerProfile",
          summary: "A customer's whole profile",
          description: "All orders with their items (not only the latest), checkouts (Shopify customers only), letters with a signed PDF link, and the statistics.",
          parameters: [{ name: "customerId", in: "path", required: true, description: "LetterLoop's customer id.", schema: { type: "string" } }],
          responses: {
            "200": { description: "The profile.", content: json(REF("CustomerProfile")) },
            "401": { $ref: "#/components/responses/Unauthorized" },
            "404": { $ref: "#/components/responses/NotFound" },
          },
        },
      },
      "/api/v1/orders": {
        post: {
          operationId: "pushOrders",
          summary: "Create or update orders",
          description: "Each order names its buyer, who is created or updated with it.",
          requestBody: { required: true, content: json(REF("OrdersBatch")) },
          responses: pushResponses("OrderPushResult"),
        },
      },
      "/api/v1/openapi.json": {
        get: {
          operationId: "getOpenApiDocument",
          summary: "This document",
          security: [],
          responses: { "200": { description: "The OpenAPI 3.1 document.", content: { "application/json": { schema: { type: "object" } } } } },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "llk_…", description: "An API key from LetterLoop's Settings." },
      },
      schemas: { ...requestSchemas, ...responseSchemas },
      responses: {
        BadRequest: errorResponse("Missing or invalid query parameters."),
        MalformedJson: errorResponse("The body is not JSON (or is empty)."),
        Unauthorized: errorResponse("No API key, or an unknown or revoked one.", {
          "WWW-Authenticate": { description: "Bearer challenge.", schema: { type: "string" } },
        }),
        NotFound: errorResponse("No such customer in this shop."),
        MethodNotAllowed: errorResponse("This path does not take that method.", { Allow: { description: "The methods it takes.", schema: { type: "string" } } }),
        PayloadTooLarge: errorResponse("The body is too large; send fewer items per request."),
        UnsupportedMediaType: errorResponse("The body is not sent as application/json."),
        ValidationFailed: errorResponse("The data is invalid; `fields` names each bad field. Nothing was written."),
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
