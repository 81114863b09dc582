package org.deeptrace.rest.internal;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.runtime.DeepTraceRuntime;
import org.deeptrace.api.runtime.PipelineStatus;
import org.deeptrace.api.store.SpanStore;
import org.deeptrace.api.store.TraceAnalysis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests under {@code /api}: finds the resource, checks the method and parameters, asks the
 * services and renders JSON. Free of the servlet API so each rule can be read in one place.
 */
final class ApiRouter {
    /** Every resource is read-only. */
    static final String ALLOWED_METHODS = "GET, HEAD";

    private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final String TRACES = "/traces/";
    private static final String ENDPOINTS = "/endpoints/";
    private static final String LATENCY = "/latency";

    private final Supplier<DeepTraceRuntime> runtime;
    private final Supplier<SpanStore> store;

    /** The suppliers return null while the service is missing; requests that need it then get 503. */
    ApiRouter(Supplier<DeepTraceRuntime> runtime, Supplier<SpanStore> store) {
        this.runtime = runtime;
        this.store = store;
    }

    /**
     * @param path the path below {@code /api} ({@code /status}, ...), null for {@code /api} itself
     * @param params the query parameters, one value per name, null when absent
     */
    ApiResponse handle(String method, String path, Function<String, String> params) {
        return handle(method, path, params, name -> {
            String v = params.apply(name);
            return v == null ? null : new String[] {v};
        });
    }

    /** @param all every value of a parameter name ({@code tag} may repeat), null when absent */
    ApiResponse handle(String method, String path, Function<String, String> params, Function<String, String[]> all) {
        try {
            Resource resource = resolve(normalize(path), all);
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                throw ApiException.methodNotAllowed("method " + method + " is not allowed; use " + ALLOWED_METHODS);
            }
            return ApiResponse.ok(resource.render(params));
        } catch (ApiException e) {
            return ApiResponse.error(e.status(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("REST request {} /api{} failed", method, path, e);
            return ApiResponse.error(500, "internal error: " + e);
        }
    }

    /** One resource under {@code /api}, rendered to JSON. */
    private interface Resource {
        String render(Function<String, String> params);
    }

    private Resource resolve(String path, Function<String, String[]> all) {
        switch (path) {
            case "/status":
                return params -> ApiJson.status(withStoreCounters(runtime().status(), store.get()));
            case "/protocols":
                return params -> ApiJson.plugins(runtime().protocols());
            case "/correlators":
                return params -> ApiJson.plugins(runtime().correlators());
            case "/senders":
                return params -> ApiJson.plugins(runtime().senders());
            case "/spans":
                return params -> ApiJson.spans(store().find(SpanQueryParams.parse(params)));
            case "/traces":
                return params -> ApiJson.traceSummaries(store().traces(TraceQueryParams.parse(params, all)));
            case "/dependencies":
                return params -> {
                    long[] range = TraceQueryParams.range(params);
                    return ApiJson.dependencies(store().dependencies(range[0], range[1]));
                };
            default:
                if (path.startsWith(ENDPOINTS) && path.endsWith(LATENCY)
                        && path.length() > ENDPOINTS.length() + LATENCY.length()) {
                    String service = path.substring(ENDPOINTS.length(), path.length() - LATENCY.length());
                    if (service.indexOf('/') < 0) {
                        return params -> {
                            long[] range = TraceQueryParams.range(params);
                            return ApiJson.endpointLatency(store().endpointLatency(service, range[0], range[1]));
                        };
                    }
                }
                if (path.startsWith(TRACES) && path.indexOf('/', TRACES.length()) < 0) {
                    String traceId = path.substring(TRACES.length());
                    return params -> trace(traceId);
                }
                throw ApiException.notFound("no such resource: /api" + path);
        }
    }

    private String trace(String traceId) {
        String id = traceId.toLowerCase(Locale.ROOT);
        if (!TRACE_ID.matcher(id).matches()) {
            throw ApiException.badRequest("trace id must be 32 hex digits, not '" + traceId + "'");
        }
        List<Span> spans = store().trace(id);
        if (spans == null || spans.isEmpty()) {
            throw ApiException.notFound("no spans of trace " + id);
        }
        return ApiJson.traceTree(id, spans.size(), TraceAnalysis.tree(spans));
    }

    private DeepTraceRuntime runtime() {
        DeepTraceRuntime r = runtime.get();
        if (r == null) {
            throw ApiException.unavailable("the DeepTrace runtime service is not available");
        }
        return r;
    }

    /**
     * The pipeline's status with the store's own counters added as {@code store.KEY} (a query server's
     * {@code store.federation.*}); a store that fails to give them is logged and left out.
     */
    static PipelineStatus withStoreCounters(PipelineStatus status, SpanStore s) {
        try {
            return s == null ? status : status.withCounters("store.", s.storeCounters());
        } catch (RuntimeException e) {
            LOG.warn("the span store's counters are left out of /api/status: {}", e.toString());
            return status;
        }
    }

    private SpanStore store() {
        SpanStore s = store.get();
        if (s == null) {
            throw ApiException.unavailable("no span store is available");
        }
        return s;
    }

    /** {@code null} and {@code ""} become {@code /}; one trailing slash is ignored. */
    private static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        if (path.length() > 1 && path.endsWith("/")) {
            return path.substring(0, path.length() - 1);
        }
        return path;
    }
}
