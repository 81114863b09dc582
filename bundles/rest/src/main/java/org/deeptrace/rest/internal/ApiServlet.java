package org.deeptrace.rest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.deeptrace.api.runtime.DeepTraceRuntime;
import org.deeptrace.api.store.SpanStore;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The REST API under {@code /api}, registered with the HTTP whiteboard. Both services are optional and
 * dynamic: the servlet stays registered without them and answers 503 instead of vanishing into 404s. When several
 * span stores are registered, the one with the highest {@code service.ranking} answers (greedy: a better one
 * arriving later replaces it).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("deeptrace-rest-api")
@HttpWhiteboardServletPattern("/api/*")
public class ApiServlet extends HttpServlet {
    static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private static final long serialVersionUID = 1L;

    private final transient AtomicReference<DeepTraceRuntime> runtime = new AtomicReference<>();
    private final transient AtomicReference<SpanStore> store = new AtomicReference<>();
    private final transient ApiRouter router = new ApiRouter(runtime::get, store::get);

    @Reference(name = "runtime", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetRuntime")
    void setRuntime(DeepTraceRuntime service) {
        runtime.set(service);
    }

    void unsetRuntime(DeepTraceRuntime service) {
        // A replacement may already be bound (greedy: bind new, then unbind old); keep it.
        runtime.compareAndSet(service, null);
    }

    @Reference(name = "store", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetStore")
    void setStore(SpanStore service) {
        store.set(service);
    }

    void unsetStore(SpanStore service) {
        store.compareAndSet(service, null);
    }

    /** Every method comes here, so that unsupported ones get a JSON 405 rather than the container's page. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        ApiResponse answer = router.handle(method, request.getPathInfo(), request::getParameter,
                request::getParameterValues);
        byte[] body = answer.json().getBytes(StandardCharsets.UTF_8);
        response.setStatus(answer.status());
        response.setContentType(CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        if (answer.status() == HttpServletResponse.SC_METHOD_NOT_ALLOWED) {
            response.setHeader("Allow", ApiRouter.ALLOWED_METHODS);
        }
        response.setContentLength(body.length);
        if (!"HEAD".equals(method)) {
            response.getOutputStream().write(body);
        }
    }
}
