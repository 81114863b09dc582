package org.deeptrace.rest.internal;

/** A request the API refuses, carrying the HTTP status that says why; its message goes to the client. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    private ApiException(int status, String message) {
        // No stack trace: these are answers to the client, not failures of the server.
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    static ApiException methodNotAllowed(String message) {
        return new ApiException(405, message);
    }

    static ApiException unavailable(String message) {
        return new ApiException(503, message);
    }
}
