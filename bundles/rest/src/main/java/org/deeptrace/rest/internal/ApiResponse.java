package org.deeptrace.rest.internal;

/**
 * What the API answers: an HTTP status and a JSON body.
 *
 * @param json the complete body, always a JSON document (errors included)
 */
record ApiResponse(int status, String json) {

    static ApiResponse ok(String json) {
        return new ApiResponse(200, json);
    }

    static ApiResponse error(int status, String message) {
        return new ApiResponse(status, ApiJson.error(status, message));
    }
}
