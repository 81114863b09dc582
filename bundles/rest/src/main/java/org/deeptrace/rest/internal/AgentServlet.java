package org.deeptrace.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.deeptrace.api.store.SpanStore;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The agent side of query-driven trace assembly under {@code /api/agent/*} (see {@link AgentApi}): a query server
 * asks each agent for its local spans. The more specific pattern wins over {@code /api/*}. It answers from the
 * highest-ranked store that is not itself a federation of agents (stores registered with
 * {@code deeptrace.store.federated=true} are ignored), so an agent that is also the query server never asks
 * itself.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("deeptrace-agent-api")
@HttpWhiteboardServletPattern("/api/agent/*")
public class AgentServlet extends HttpServlet {
    /** Largest request body read (lookups); larger ones are refused with 413. */
    static final int MAX_BODY = 4 << 20;

    private static final long serialVersionUID = 1L;

    private final transient AtomicReference<SpanStore> store = new AtomicReference<>();
    private final transient AgentApi api = new AgentApi(store::get);

    @Reference(name = "store", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetStore",
            target = "(!(deeptrace.store.federated=true))")
    void setStore(SpanStore service) {
        store.set(service);
    }

    void unsetStore(SpanStore service) {
        store.compareAndSet(service, null);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        String body = "";
        if ("POST".equals(method)) {
            if (request.getContentLengthLong() > MAX_BODY) {
                sendError(response, 413, "request body larger than " + MAX_BODY + " bytes");
                return;
            }
            try (InputStream in = request.getInputStream()) {
                byte[] bytes = in.readNBytes(MAX_BODY + 1);
                if (bytes.length > MAX_BODY) {
                    sendError(response, 413, "request body larger than " + MAX_BODY + " bytes");
                    return;
                }
                body = new String(bytes, StandardCharsets.UTF_8);
            }
        }
        String accept = request.getHeader("Accept-Encoding");
        boolean gzip = accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("gzip");
        AgentApi.Answer answer = api.handle(method, request.getPathInfo(), request::getParameter,
                request::getParameterValues, body, gzip);
        response.setStatus(answer.status());
        response.setContentType(answer.contentType());
        response.setHeader("Cache-Control", "no-store");
        if (answer.gzip()) {
            response.setHeader("Content-Encoding", "gzip");
        }
        response.setContentLength(answer.body().length);
        if (!"HEAD".equals(method)) {
            response.getOutputStream().write(answer.body());
        }
    }

    private static void sendError(HttpServletResponse response, int status, String message) throws IOException {
        byte[] body = ApiJson.error(status, message).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(ApiServlet.CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
