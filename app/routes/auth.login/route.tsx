import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { LoginErrorType } from "@shopify/shopify-app-remix/server";
import { login } from "../../shopify.server";

function errorMessage(errors: Awaited<ReturnType<typeof login>> | undefined): string | null {
  if (!errors || errors instanceof Response) return null;
  if (errors.shop === LoginErrorType.MissingShop) return "Please enter your shop domain to log in.";
  if (errors.shop === LoginErrorType.InvalidShop) return "Please enter a valid shop domain (my-shop.myshopify.com).";
  return null;
}

export const loader = async ({ request }: LoaderFunctionArgs) => ({ error: errorMessage(await login(request)) });
export const action = async ({ request }: ActionFunctionArgs) => ({ error: errorMessage(await login(request)) });

export default function Login() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const error = actionData?.error ?? loaderData.error;
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 560, margin: "64px auto", padding: 16 }}>
      <h1>Log in to LetterLoop</h1>
      <Form method="post">
        <label>
          Shop domain <input type="text" name="shop" placeholder="my-shop.myshopify.com" />
        </label>{" "}
        <button type="submit">Log in</button>
        {error ? <p role="alert">{error}</p> : null}
      </Form>
    </main>
  );
}
