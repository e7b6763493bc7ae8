import { AppError, HTTP_STATUS_BY_CODE } from "../core/app-error";

/**
 * Runs a route's service call and turns an AppError into the matching HTTP response
 * (thrown, so Remix renders the nearest error boundary or returns it as is to fetch callers).
 */
export async function orRespond<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError) {
      throw Response.json(
        { error: error.code, message: error.message, fieldErrors: error.fieldErrors },
        { status: HTTP_STATUS_BY_CODE[error.code] },
      );
    }
    throw error;
  }
}
